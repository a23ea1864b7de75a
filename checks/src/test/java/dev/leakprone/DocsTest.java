package dev.leakprone;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.errorprone.BugPattern;
import dev.leakprone.common.Docs;
import dev.leakprone.config.LeakProneConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Every registered check has its docs page, a correct link, and a row in the README's table. */
@RunWith(JUnit4.class)
public class DocsTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static List<Class<?>> registeredChecks() throws IOException, ClassNotFoundException {
    List<Class<?>> checks = new ArrayList<>();
    for (URL url :
        Collections.list(
            DocsTest.class
                .getClassLoader()
                .getResources("META-INF/services/com.google.errorprone.bugpatterns.BugChecker"))) {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          line = line.strip();
          if (line.startsWith("dev.leakprone.")) {
            checks.add(Class.forName(line));
          }
        }
      }
    }
    return checks;
  }

  @Test
  public void everyCheckHasADocsPageALinkAndAReadmeRow() throws Exception {
    List<Class<?>> checks = registeredChecks();
    assertFalse("no check is registered through @AutoService", checks.isEmpty());
    String readme = Files.readString(ROOT.resolve("README.md"));
    for (Class<?> check : checks) {
      BugPattern pattern = check.getAnnotation(BugPattern.class);
      String name = pattern.name().isEmpty() ? check.getSimpleName() : pattern.name();
      assertEquals("the class name is the check name", check.getSimpleName(), name);
      Path page = ROOT.resolve("docs/checks/" + name + ".md");
      assertTrue(name + " has no docs page " + page, Files.isRegularFile(page));
      String text = Files.readString(page);
      assertTrue(
          name + ".md does not explain suppression",
          text.contains("@SuppressWarnings(\"" + name + "\")"));
      assertEquals(BugPattern.LinkType.CUSTOM, pattern.linkType());
      assertEquals(Docs.BASE + name + ".md", pattern.link());
      assertTrue(
          "README.md's table does not link " + name,
          readme.contains("docs/checks/" + name + ".md"));
    }
  }

  @Test
  public void everyFlagIsDocumented() throws Exception {
    String configuration = Files.readString(ROOT.resolve("docs/configuration.md"));
    for (Field f : LeakProneConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && !f.getName().equals("PREFIX")) {
        String flag = (String) f.get(null);
        assertTrue("docs/configuration.md does not document " + flag, configuration.contains(flag));
      }
    }
  }
}
