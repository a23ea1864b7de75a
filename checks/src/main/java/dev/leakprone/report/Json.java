package dev.leakprone.report;

import org.jspecify.annotations.Nullable;

/** A small JSON writer: two-space indentation, keys in the order written, "\n" line ends. */
final class Json {
  private final StringBuilder out = new StringBuilder();
  private int depth;
  private boolean first = true;

  Json open(@Nullable String key, char bracket) {
    key(key);
    out.append(bracket);
    depth++;
    first = true;
    return this;
  }

  Json close(char bracket) {
    depth--;
    if (!first) {
      newline();
    }
    out.append(bracket);
    first = false;
    return this;
  }

  Json value(@Nullable String key, String value) {
    key(key);
    string(value);
    return this;
  }

  Json value(@Nullable String key, int value) {
    key(key);
    out.append(value);
    return this;
  }

  private void key(@Nullable String key) {
    if (depth > 0) {
      if (!first) {
        out.append(',');
      }
      newline();
    }
    first = false;
    if (key != null) {
      string(key);
      out.append(": ");
    }
  }

  private void newline() {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append("  ");
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out + "\n";
  }
}
