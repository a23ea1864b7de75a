package com.example.ledger.diagnostics;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The fixed controller: it keeps the values the diagnostics page shows, not the request. */
@RestController
public class DiagnosticsControllerFixed {
  private record LastRequest(String method, String uri) {}

  private volatile LastRequest lastRequest;

  @GetMapping("/v2/statements")
  public String statements(HttpServletRequest request) {
    lastRequest = new LastRequest(request.getMethod(), request.getRequestURI());
    return "statements";
  }

  @GetMapping("/v2/diagnostics/last")
  public String last() {
    LastRequest last = lastRequest;
    return last == null ? "none" : last.method() + " " + last.uri();
  }
}
