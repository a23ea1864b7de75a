package com.example.ledger.sessions;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The fixed version of {@link TellerSessions}: logout removes the session, and only the last 100
 * rejected logins are kept.
 */
public final class BoundedTellerSessions {

  private static final int MAX_REJECTED = 100;

  private static final Map<String, TellerSessions.Session> SESSIONS = new HashMap<>();

  private static final Deque<String> REJECTED = new ArrayDeque<>();

  private BoundedTellerSessions() {}

  public static synchronized boolean login(String sessionId, String teller, String desk) {
    if (desk.isEmpty()) {
      REJECTED.addLast(teller);
      if (REJECTED.size() > MAX_REJECTED) {
        REJECTED.removeFirst();
      }
      return false;
    }
    SESSIONS.put(sessionId, new TellerSessions.Session(teller, desk, Instant.now()));
    return true;
  }

  public static synchronized void logout(String sessionId) {
    SESSIONS.remove(sessionId);
  }
}
