package dev.leakprone.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.ErrorProneFlags;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class LeakProneConfigTest {

  private static LeakProneConfig parse(String name, String value) {
    return LeakProneConfig.from(ErrorProneFlags.fromMap(ImmutableMap.of(name, value)));
  }

  @Test
  public void parsesEveryFlag() {
    LeakProneConfig c = LeakProneConfig.from(ErrorProneFlags.fromMap(ImmutableMap.of(
        "LeakProne:ResourceFactories", "com.acme.Pool#borrow, com.acme.Lease",
        "LeakProne:ExemptTypes", "com.acme.Mem",
        "LeakProne:OwnershipTakingMethods", "com.acme.Registry#adopt",
        "LeakProne:ScopeTypes", "com.acme.Lease:release|close,com.acme.Handle")));
    assertEquals("[com.acme.Pool#borrow]", c.extraResourceFactories().toString());
    assertEquals("[com.acme.Lease]", c.extraResourceTypes().toString());
    assertEquals("[com.acme.Mem]", c.exemptTypes().toString());
    assertEquals("[com.acme.Registry#adopt]", c.ownershipTakingMethods().toString());
    assertEquals("{com.acme.Lease=[release, close], com.acme.Handle=[close]}", c.scopeTypes().toString());
  }

  @Test
  public void emptyWithoutFlags() {
    assertTrue(LeakProneConfig.from(ErrorProneFlags.empty()).extraResourceFactories().isEmpty());
  }

  @Test
  public void malformedValuesNameTheFlagAndTheForm() {
    assertMessage(() -> parse("LeakProne:ResourceFactories", "Pool#borrow"),
        "-XepOpt:LeakProne:ResourceFactories", "com.acme.Pool#borrow");
    assertMessage(() -> parse("LeakProne:ResourceFactories", "com.acme.Pool#"),
        "-XepOpt:LeakProne:ResourceFactories", "com.acme.Pool#borrow");
    assertMessage(() -> parse("LeakProne:ExemptTypes", "com.acme.Mem#x"),
        "-XepOpt:LeakProne:ExemptTypes", "com.acme.InMemoryChannel");
    assertMessage(() -> parse("LeakProne:OwnershipTakingMethods", "com.acme.Registry"),
        "-XepOpt:LeakProne:OwnershipTakingMethods", "#");
    assertMessage(() -> parse("LeakProne:ScopeTypes", "com.acme.Lease:re lease"),
        "-XepOpt:LeakProne:ScopeTypes", "com.acme.Lease:release|close");
    assertMessage(() -> parse("LeakProne:ResourceFactory", "com.acme.Pool#borrow"),
        "-XepOpt:LeakProne:ResourceFactory is not a LeakProne flag", "ResourceFactories");
  }

  @Test
  public void resourceModelFlags() {
    LeakProneConfig config = LeakProneConfig.from(ErrorProneFlags.fromMap(java.util.Map.of(
        "LeakProne:AnyAutoCloseable", "true",
        "LeakProne:ReleaseMethods", "giveBack,com.acme.Lease#free")));
    assertTrue(config.anyAutoCloseable());
    assertTrue(config.releaseMethodNames().contains("giveBack"));
    assertTrue(config.releaseMethods().get(0).toString().equals("com.acme.Lease#free"));
    assertMessage(() -> parse("LeakProne:AnyAutoCloseable", "yes"),
        "-XepOpt:LeakProne:AnyAutoCloseable", "'yes'", "true or false");
    assertMessage(() -> parse("LeakProne:ReleaseMethods", "give back"),
        "-XepOpt:LeakProne:ReleaseMethods", "'give back'", "com.acme.Lease#giveBack");
  }

  private static void assertMessage(org.junit.function.ThrowingRunnable r, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r);
    for (String part : parts) {
      assertTrue(e.getMessage() + " lacks " + part, e.getMessage().contains(part));
    }
  }
}
