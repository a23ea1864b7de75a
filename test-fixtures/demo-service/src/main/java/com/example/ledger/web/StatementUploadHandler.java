package com.example.ledger.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/** Accepts statement uploads (POST /statements) and stores them gzipped in the inbox. */
public final class StatementUploadHandler implements HttpHandler {

  private static final long MAX_UPLOAD_BYTES = 10L * 1024 * 1024;

  private final Path inbox;

  public StatementUploadHandler(Path inbox) {
    this.inbox = inbox;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "POST only");
        return;
      }
      Path target = inbox.resolve(UUID.randomUUID() + ".csv.gz");
      long stored = store(exchange.getRequestBody(), target);
      reply(exchange, 201, target.getFileName() + " " + stored);
    } finally {
      exchange.close();
    }
  }

  /**
   * The gzip stream closes the file stream it wraps. Both are resources of the try, so the file is
   * closed even when the GZIPOutputStream constructor fails writing the header.
   */
  private static long store(InputStream body, Path target) throws IOException {
    try (OutputStream file = new FileOutputStream(target.toFile());
        OutputStream out = new GZIPOutputStream(file)) {
      return body.transferTo(out);
    }
  }

  /** Rejects oversized uploads, but leaves the partly written file open when it does. */
  public long storeLimited(InputStream body, Path target) throws IOException {
    OutputStream out = Files.newOutputStream(target); // expect: UnclosedResource
    byte[] buffer = new byte[8192];
    long total = 0;
    int n;
    while ((n = body.read(buffer)) > 0) {
      total += n;
      if (total > MAX_UPLOAD_BYTES) {
        throw new IOException("upload larger than " + MAX_UPLOAD_BYTES + " bytes");
      }
      out.write(buffer, 0, n);
    }
    out.close();
    return total;
  }

  private static void reply(HttpExchange exchange, int status, String message) throws IOException {
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
