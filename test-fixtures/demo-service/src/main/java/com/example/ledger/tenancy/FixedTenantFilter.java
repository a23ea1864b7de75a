package com.example.ledger.tenancy;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.MDC;

/** The fixed filter: both bindings are removed in finally, whatever the chain throws. */
public final class FixedTenantFilter implements Filter {
  static final ThreadLocal<String> CURRENT_TENANT = new ThreadLocal<>();

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    CURRENT_TENANT.set(http.getHeader("X-Tenant"));
    MDC.put("requestId", UUID.randomUUID().toString());
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove("requestId");
      CURRENT_TENANT.remove();
    }
  }
}
