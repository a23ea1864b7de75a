package com.example.ledger.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Serves archived statements: GET /statements/{name} and GET /statements/{name}/raw. */
public final class StatementDownloadHandler implements HttpHandler {

  private final Path statementDir;

  public StatementDownloadHandler(Path statementDir) {
    this.statementDir = statementDir;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String name = exchange.getRequestURI().getPath().replaceFirst("^/statements/", "");
      if (name.endsWith("/raw")) {
        sendRaw(exchange, statementDir.resolve(name.substring(0, name.length() - 4)));
      } else {
        send(exchange, statementDir.resolve(name));
      }
    } finally {
      exchange.close();
    }
  }

  /** Streams the file; both streams are closed by try-with-resources. */
  private static void send(HttpExchange exchange, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      byte[] body = "no such statement".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(404, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
      return;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/csv; charset=utf-8");
    exchange.sendResponseHeaders(200, Files.size(file));
    try (InputStream in = Files.newInputStream(file);
        OutputStream out = exchange.getResponseBody()) {
      in.transferTo(out);
    }
  }

  /** The raw variant opens the file and never closes it: one leaked descriptor per request. */
  private static void sendRaw(HttpExchange exchange, Path file) throws IOException {
    InputStream in = new FileInputStream(file.toFile()); // expect: UnclosedResource
    exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      in.transferTo(out);
    }
  }
}
