package com.example.ledger.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Logs each client's address in the background so that slow log sinks never delay a request.
 * Leaky: the task reads the request after the container may have recycled it for another client.
 */
public class ClientAuditFilter extends HttpFilter {
  private static final Logger LOG = Logger.getLogger(ClientAuditFilter.class.getName());

  private final Executor background;

  public ClientAuditFilter(Executor background) {
    this.background = background;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    background.execute(() -> LOG.info("client " + request.getRemoteAddr() + " " + request.getRequestURI())); // expect: RequestCapturedByAsyncTask
    chain.doFilter(request, response);
  }
}
