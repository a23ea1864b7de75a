package com.example.ledger.sessions;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who is logged in at which teller desk. Leaky version: every login adds an entry that logout
 * never removes, and every rejected login is kept in a list for ever. Compare with
 * {@link BoundedTellerSessions}.
 */
public final class TellerSessions {

  /** A teller's session: small, but one per login, for the life of the service. */
  public record Session(String teller, String desk, Instant since) {}

  private static final Map<String, Session> SESSIONS = new HashMap<>(); // expect: UnboundedStaticCollection

  private static final List<String> REJECTED = new ArrayList<>(); // expect: UnboundedStaticCollection

  private static final Map<String, String> DESK_NAMES = new HashMap<>();

  static {
    // Set-up only: a registry of constants is not a leak.
    DESK_NAMES.put("D1", "Front desk");
    DESK_NAMES.put("D2", "Business desk");
  }

  private TellerSessions() {}

  /** Called by the login servlet for every login request. */
  public static synchronized String login(HttpServletRequest request, String desk) {
    String sessionId = request.getSession().getId();
    String teller = request.getRemoteUser();
    if (!DESK_NAMES.containsKey(desk)) {
      REJECTED.add(teller + "@" + desk);
      return null;
    }
    SESSIONS.put(sessionId, new Session(teller, desk, Instant.now()));
    return DESK_NAMES.get(desk);
  }

  public static synchronized Session current(String sessionId) {
    return SESSIONS.get(sessionId);
  }

  public static synchronized void logout(String sessionId) {
    // Forgets to remove the session: SESSIONS.remove(sessionId) is missing.
    Session s = SESSIONS.get(sessionId);
    if (s != null) {
      System.out.println(s.teller() + " logged out");
    }
  }
}
