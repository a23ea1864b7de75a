package com.example.ledger.archive;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Moves booked statements into monthly zip archives and writes the archive index. */
public final class StatementArchiver {

  private final Path archiveRoot;

  public StatementArchiver(Path archiveRoot) {
    this.archiveRoot = archiveRoot;
  }

  /** Zips every statement of a month; both streams are closed by try-with-resources. */
  public Path archiveMonth(Path inbox, LocalDate month) throws IOException {
    Path zip = archiveRoot.resolve(month.getYear() + "-" + month.getMonthValue() + ".zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
        Stream<Path> statements = Files.list(inbox)) {
      for (Path statement : statements.filter(Files::isRegularFile).collect(Collectors.toList())) {
        out.putNextEntry(new ZipEntry(statement.getFileName().toString()));
        try (InputStream in = Files.newInputStream(statement)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return zip;
  }

  /** Counts archived months. Files.list holds a directory handle until the stream is closed. */
  public long archivedMonths() throws IOException {
    return Files.list(archiveRoot).filter(p -> p.toString().endsWith(".zip")).count(); // expect: UnclosedResource
  }

  /** Writes the index; close() is skipped when a write fails. */
  public void writeIndex(List<String> archiveNames) throws IOException {
    BufferedWriter writer = Files.newBufferedWriter(archiveRoot.resolve("INDEX"), StandardCharsets.UTF_8); // expect: UnclosedResource
    for (String name : archiveNames) {
      writer.write(name);
      writer.newLine();
    }
    writer.close();
  }

  /** Reads the index back; Files.lines is closed by try-with-resources. */
  public List<String> readIndex() throws IOException {
    try (Stream<String> lines = Files.lines(archiveRoot.resolve("INDEX"), StandardCharsets.UTF_8)) {
      return lines.filter(line -> !line.isBlank()).collect(Collectors.toList());
    }
  }

  /** Hands the open stream to the caller, who owns it from here on. */
  public OutputStream openArchiveForAppend(String name) throws IOException {
    return Files.newOutputStream(archiveRoot.resolve(name), java.nio.file.StandardOpenOption.APPEND);
  }

  /** Opens an archive to copy it to the backup volume, and forgets it. */
  public void copyToBackup(String name, Path backupVolume) throws IOException {
    InputStream in = Files.newInputStream(archiveRoot.resolve(name)); // expect: UnclosedResource
    Files.copy(in, backupVolume.resolve(name));
  }
}
