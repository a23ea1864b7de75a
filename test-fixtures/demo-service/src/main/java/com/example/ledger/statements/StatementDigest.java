package com.example.ledger.statements;

import com.google.common.io.Closer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.commons.io.IOUtils;

/** Fingerprints imported statements so the same export is never booked twice. */
public final class StatementDigest {

  private final MessageDigest sha256;

  public StatementDigest() throws NoSuchAlgorithmException {
    this.sha256 = MessageDigest.getInstance("SHA-256");
  }

  /** Guava's Closer closes everything registered with it. */
  public String fingerprint(File statement) throws IOException {
    Closer closer = Closer.create();
    try {
      InputStream in = closer.register(new FileInputStream(statement));
      DigestInputStream digesting = closer.register(new DigestInputStream(in, sha256));
      digesting.transferTo(OutputStreamSink.INSTANCE);
      return HexFormat.of().formatHex(sha256.digest());
    } catch (Throwable t) {
      throw closer.rethrow(t);
    } finally {
      closer.close();
    }
  }

  /** The older idiom: close quietly in finally with commons-io. */
  public byte[] readFully(Path statement) throws IOException {
    InputStream in = null;
    try {
      in = Files.newInputStream(statement);
      return IOUtils.toByteArray(in);
    } finally {
      IOUtils.closeQuietly(in);
    }
  }

  /** Skips statements that are not exports of ours; the early return leaks the stream. */
  public String fingerprintIfExport(Path statement) throws IOException {
    InputStream in = Files.newInputStream(statement); // expect: UnclosedResource
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4 || magic[0] != 'L' || magic[1] != 'D') {
      return null;
    }
    try (DigestInputStream digesting = new DigestInputStream(in, sha256)) {
      digesting.transferTo(OutputStreamSink.INSTANCE);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** In-memory streams hold no file handle and need no close. */
  public static String describe(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return bytes.size() + " bytes: " + text;
  }

  /** Discards what is written, so a digesting stream can be drained. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
