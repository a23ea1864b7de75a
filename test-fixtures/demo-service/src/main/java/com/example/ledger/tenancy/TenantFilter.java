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

/**
 * Binds the tenant of each request and a request id for the logs. This version forgets to unbind
 * them: the pooled request thread serves the next request with this request's tenant, and its log
 * lines carry this request's id.
 */
public final class TenantFilter implements Filter {
  /** The tenant of the request the current thread is serving. */
  static final ThreadLocal<String> CURRENT_TENANT = new ThreadLocal<>();

  static String currentTenant() {
    return CURRENT_TENANT.get();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest http = (HttpServletRequest) request;
    CURRENT_TENANT.set(http.getHeader("X-Tenant")); // expect: ThreadLocalNotRemoved
    MDC.put("requestId", UUID.randomUUID().toString()); // expect: ThreadLocalNotRemoved
    chain.doFilter(request, response);
    MDC.remove("requestId");
  }
}
