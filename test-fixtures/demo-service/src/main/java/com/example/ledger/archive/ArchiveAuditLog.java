package com.example.ledger.archive;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Append-only audit log of archive operations. The writer lives as long as this object: it is
 * stored in a field and closed by {@link #close()}, so opening it in the constructor is no leak.
 */
public final class ArchiveAuditLog implements Closeable {

  private final Writer writer;

  public ArchiveAuditLog(Path logFile) throws IOException {
    this.writer =
        Files.newBufferedWriter(
            logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  public synchronized void record(String operation, String archive) throws IOException {
    writer.write(Instant.now() + " " + operation + " " + archive + System.lineSeparator());
    writer.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }
}
