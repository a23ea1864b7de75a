package com.example.ledger.diagnostics;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Keeps "the last request" for a diagnostics page. Leaky: the controller is a singleton, so the
 * field holds a request the container has recycled, and the page shows another user's request.
 */
@RestController
public class DiagnosticsController {
  private volatile HttpServletRequest lastRequest;

  @GetMapping("/statements")
  public String statements(HttpServletRequest request) {
    lastRequest = request; // expect: RequestStoredInField
    return "statements";
  }

  @GetMapping("/diagnostics/last")
  public String last() {
    HttpServletRequest last = lastRequest;
    return last == null ? "none" : last.getMethod() + " " + last.getRequestURI();
  }
}
