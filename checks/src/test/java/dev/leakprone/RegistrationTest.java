package dev.leakprone;

import static org.junit.Assert.assertEquals;

import com.google.errorprone.bugpatterns.BugChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Error Prone finds plugin checks through {@link ServiceLoader}, which needs a public no-argument
 * constructor; a check without one breaks every user's build with a ServiceConfigurationError.
 */
@RunWith(JUnit4.class)
public class RegistrationTest {
  @Test
  public void everyRegisteredCheckLoadsThroughServiceLoader() throws Exception {
    List<String> loaded = new ArrayList<>();
    for (ServiceLoader.Provider<BugChecker> provider :
        ServiceLoader.load(BugChecker.class).stream().toList()) {
      if (provider.type().getName().startsWith("dev.leakprone.")) {
        loaded.add(provider.get().canonicalName());
      }
    }
    List<String> registered = new ArrayList<>();
    for (Class<?> c : DocsTest.registeredChecks()) {
      registered.add(c.getSimpleName());
    }
    loaded.sort(null);
    registered.sort(null);
    assertEquals(registered, loaded);
  }
}
