package dev.leakprone.common;

/** Where each check's documentation page lives; every {@code @BugPattern} links there. */
public final class Docs {
  private Docs() {}

  /** The base of every check's page: {@code <BASE><CheckName>.md}. */
  public static final String BASE = "https://github.com/leakprone/leakprone/blob/main/docs/checks/";
}
