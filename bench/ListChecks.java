import com.google.errorprone.BugPattern;
import java.io.File;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Prints the name of every check in a plugin jar, one a line: each concrete class carrying
 * {@code @BugPattern}, named as Error Prone names it ({@code name} if set, else the simple class
 * name). Run with the Java source launcher and Error Prone on the class path:
 *
 * <pre>java -cp ERROR_PRONE_CLASSPATH bench/ListChecks.java PLUGIN_JAR</pre>
 */
public class ListChecks {
  public static void main(String[] args) throws Exception {
    File jar = new File(args[0]);
    TreeSet<String> names = new TreeSet<>();
    try (JarFile jarFile = new JarFile(jar);
        URLClassLoader loader =
            new URLClassLoader(
                new URL[] {jar.toURI().toURL()}, ListChecks.class.getClassLoader())) {
      for (JarEntry entry : Collections.list(jarFile.entries())) {
        String path = entry.getName();
        if (!path.endsWith(".class") || path.contains("-") || path.startsWith("META-INF/")) {
          continue; // module-info, package-info, multi-release copies
        }
        String className = path.substring(0, path.length() - ".class".length()).replace('/', '.');
        try {
          Class<?> type = Class.forName(className, false, loader);
          BugPattern pattern = type.getAnnotation(BugPattern.class);
          if (pattern == null || Modifier.isAbstract(type.getModifiers())) {
            continue;
          }
          names.add(pattern.name().isEmpty() ? type.getSimpleName() : pattern.name());
        } catch (Throwable t) {
          System.err.println("ListChecks: cannot load " + className + ": " + t);
        }
      }
    }
    names.forEach(System.out::println);
  }
}
