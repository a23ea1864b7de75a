package com.example.ledger.statements;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileReader;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads bank statement exports (CSV) dropped into the import folder. */
public final class StatementImporter {

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** One booked line of a statement. */
  public record Entry(String date, String counterparty, BigDecimal amount) {}

  /** Parses every entry; the reader is closed by try-with-resources. */
  public List<Entry> importStatement(File csv) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new FileReader(csv, StandardCharsets.UTF_8))) {
      String header = reader.readLine();
      if (header == null) {
        return entries;
      }
      String line;
      while ((line = reader.readLine()) != null) {
        String[] fields = line.split(";", -1);
        entries.add(new Entry(fields[0], fields[1], new BigDecimal(fields[2])));
      }
    }
    return entries;
  }

  /** Counts entries for the import dashboard, but never closes the file. */
  public int countEntries(File csv) throws IOException {
    BufferedReader reader = new BufferedReader(new FileReader(csv, StandardCharsets.UTF_8)); // expect: UnclosedResource
    int count = 0;
    reader.readLine(); // header
    while (reader.readLine() != null) {
      count++;
    }
    return count;
  }

  /**
   * Detects a UTF-8 byte order mark. The stream is closed on the normal path only: when read()
   * throws, the file handle leaks.
   */
  public boolean hasByteOrderMark(File csv) throws IOException {
    InputStream in = new FileInputStream(csv); // expect: UnclosedResource
    byte[] head = new byte[UTF8_BOM.length];
    int read = in.read(head);
    in.close();
    return read == UTF8_BOM.length
        && head[0] == UTF8_BOM[0]
        && head[1] == UTF8_BOM[1]
        && head[2] == UTF8_BOM[2];
  }

  /** The same check done right: close() in a finally block. */
  public String firstLine(File csv) throws IOException {
    BufferedReader reader = new BufferedReader(new FileReader(csv, StandardCharsets.UTF_8));
    try {
      return reader.readLine();
    } finally {
      reader.close();
    }
  }
}
