package dev.leakprone;

import static org.junit.Assert.assertTrue;

import com.google.errorprone.BugPattern;
import dev.leakprone.config.LeakProneConfig;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The files a published project needs: the licence, and a changelog that names what it ships. */
@RunWith(JUnit4.class)
public class ProjectFilesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  public void licenceIsTheApacheLicenceInFileAndPom() throws Exception {
    String licence = Files.readString(ROOT.resolve("LICENSE"));
    assertTrue(licence.contains("Apache License"));
    assertTrue(licence.contains("Version 2.0, January 2004"));
    assertTrue(
        "the full text, with the appendix",
        licence.contains("APPENDIX: How to apply the Apache License"));
    String pom = Files.readString(ROOT.resolve("pom.xml"));
    assertTrue(pom.contains("<name>Apache License, Version 2.0</name>"));
    for (String element : new String[] {"<url>", "<scm>", "<developers>"}) {
      assertTrue("the parent pom lacks " + element, pom.contains(element));
    }
  }

  @Test
  public void changelogNamesEveryCheckAndFlag() throws Exception {
    String changelog = Files.readString(ROOT.resolve("CHANGELOG.md"));
    for (Class<?> check : DocsTest.registeredChecks()) {
      String name = check.getAnnotation(BugPattern.class).name();
      name = name.isEmpty() ? check.getSimpleName() : name;
      assertTrue(
          "CHANGELOG.md does not mention the check " + name,
          changelog.contains("**" + name + "**"));
    }
    for (Field f : LeakProneConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers())
          && f.getType() == String.class
          && !f.getName().equals("PREFIX")) {
        String flag = (String) f.get(null);
        assertTrue(
            "CHANGELOG.md does not mention the flag " + flag,
            changelog.contains("-XepOpt:" + flag));
      }
    }
  }
}
