package dev.leakprone.resource;

import com.google.errorprone.BugCheckerRefactoringTestHelper;
import com.google.errorprone.CompilationTestHelper;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class UnclosedResourceTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(UnclosedResource.class, getClass());

  private final BugCheckerRefactoringTestHelper refactoring =
      BugCheckerRefactoringTestHelper.newInstance(UnclosedResource.class, getClass());

  // ----------------------------------------------------------------------------------------------
  // Positives: leaks on every path, on some paths, and on exceptional paths.

  @Test
  public void neverClosed() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                // BUG: Diagnostic contains: 'in' (FileInputStream) is never closed
                InputStream in = new FileInputStream(f);
                return in.read();
              }
            }
            """)
        .doTest();
  }

  @Test
  public void notClosedWhenReadThrows() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                // BUG: Diagnostic contains: 'in' (FileInputStream) is not closed if an exception is thrown at line 6
                InputStream in = new FileInputStream(f);
                int b = in.read();
                in.close();
                return b;
              }
            }
            """)
        .doTest();
  }

  @Test
  public void closedOnlyOnOneBranch() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              void write(File f, boolean flush) throws IOException {
                // BUG: Diagnostic contains: 'out' (FileOutputStream) is not closed on every path
                OutputStream out = new FileOutputStream(f);
                if (flush) {
                  out.close();
                }
              }
            }
            """)
        .doTest();
  }

  // ----------------------------------------------------------------------------------------------
  // Negatives.

  @Test
  public void tryWithResources() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                try (InputStream in = new FileInputStream(f)) {
                  return in.read();
                }
              }
              int wrapped(File f) throws IOException {
                try (BufferedReader r = new BufferedReader(new FileReader(f))) {
                  return r.read();
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void closeInFinally() {
    helper
        .addSourceLines(
            "Test.java",
            """
            import java.io.*;
            class Test {
              int read(File f) throws IOException {
                InputStream in = new FileInputStream(f);
                try {
                  return in.read();
                } finally {
                  in.close();
                }
              }
              int nullChecked(File f) throws IOException {
                InputStream in = null;
                try {
                  in = new FileInputStream(f);
                  return in.read();
                } finally {
                  if (in != null) {
                    in.close();
                  }
                }
              }
            }
            """)
        .doTest();
  }
}
