package com.example.ledger.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/** The fixed filter: the values are copied on the request's thread; the task captures strings only. */
public class ClientAuditFilterFixed extends HttpFilter {
  private static final Logger LOG = Logger.getLogger(ClientAuditFilterFixed.class.getName());

  private final Executor background;

  public ClientAuditFilterFixed(Executor background) {
    this.background = background;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String clientIp = request.getRemoteAddr();
    String uri = request.getRequestURI();
    background.execute(() -> LOG.info("client " + clientIp + " " + uri));
    chain.doFilter(request, response);
  }
}
