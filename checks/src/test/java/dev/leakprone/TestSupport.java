package dev.leakprone;

/** Helpers shared by the check tests. */
public final class TestSupport {
  private TestSupport() {}

  /** Every throwable of the cause chain, one per line: what a failed compilation reported. */
  public static String causeChain(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
    }
    return sb.toString();
  }
}
