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
    LeakProneConfig c =
        LeakProneConfig.from(
            ErrorProneFlags.fromMap(
                ImmutableMap.of(
                    "LeakProne:ResourceFactories", "com.acme.Pool#borrow, com.acme.Lease",
                    "LeakProne:ExemptTypes", "com.acme.Mem",
                    "LeakProne:OwnershipTakingMethods", "com.acme.Registry#adopt",
                    "LeakProne:ScopeTypes", "com.acme.Lease:release|close,com.acme.Handle")));
    assertEquals("[com.acme.Pool#borrow]", c.extraResourceFactories().toString());
    assertEquals("[com.acme.Lease]", c.extraResourceTypes().toString());
    assertEquals("[com.acme.Mem]", c.exemptTypes().toString());
    assertEquals("[com.acme.Registry#adopt]", c.ownershipTakingMethods().toString());
    assertEquals(
        "{com.acme.Lease=[release, close], com.acme.Handle=[close]}", c.scopeTypes().toString());
  }

  @Test
  public void emptyWithoutFlags() {
    assertTrue(LeakProneConfig.from(ErrorProneFlags.empty()).extraResourceFactories().isEmpty());
  }

  @Test
  public void resourceFactoriesAcceptTypesInTheDefaultPackage() {
    // Issue #10: "Pool#borrow" and "Lease" were rejected as malformed.
    LeakProneConfig c = parse("LeakProne:ResourceFactories", "Pool#borrow,Lease");
    assertEquals("[Pool#borrow]", c.extraResourceFactories().toString());
    assertEquals("[Lease]", c.extraResourceTypes().toString());
  }

  @Test
  public void malformedValuesNameTheFlagAndTheForm() {
    assertMessage(
        () -> parse("LeakProne:ResourceFactories", "Pool#bor row"),
        "-XepOpt:LeakProne:ResourceFactories",
        "com.acme.Pool#borrow");
    assertMessage(
        () -> parse("LeakProne:ResourceFactories", "com.acme.Pool#"),
        "-XepOpt:LeakProne:ResourceFactories",
        "com.acme.Pool#borrow");
    assertMessage(
        () -> parse("LeakProne:ExemptTypes", "com.acme.Mem#x"),
        "-XepOpt:LeakProne:ExemptTypes",
        "com.acme.InMemoryChannel");
    assertMessage(
        () -> parse("LeakProne:OwnershipTakingMethods", "com.acme.Registry"),
        "-XepOpt:LeakProne:OwnershipTakingMethods",
        "#");
    assertMessage(
        () -> parse("LeakProne:ScopeTypes", "com.acme.Lease:re lease"),
        "-XepOpt:LeakProne:ScopeTypes",
        "com.acme.Lease:release|close");
    assertMessage(
        () -> parse("LeakProne:ResourceFactory", "com.acme.Pool#borrow"),
        "-XepOpt:LeakProne:ResourceFactory is not a LeakProne flag",
        "ResourceFactories");
  }

  @Test
  public void emptyListElementsAndWrongCasePrefixesAreRejected() {
    assertMessage(
        () -> parse("LeakProne:ExemptTypes", "com.acme.A,"),
        "Empty element 2 of 2 (after the last comma)",
        "-XepOpt:LeakProne:ExemptTypes=com.acme.A,");
    assertMessage(
        () -> parse("LeakProne:ExemptTypes", ",com.acme.A"),
        "Empty element 1 of 2 (before the first comma)");
    assertMessage(
        () -> parse("LeakProne:ExemptTypes", "com.acme.A, ,com.acme.B"),
        "Empty element 2 of 3 (after 'com.acme.A')");
    assertMessage(
        () -> parse("leakprone:ExemptTypes", "com.acme.A"),
        "did you mean -XepOpt:LeakProne:ExemptTypes?");
    // Other namespaces are not LeakProne's business.
    assertTrue(parse("NullAway:AnnotatedPackages", "com.acme,").exemptTypes().isEmpty());
  }

  @Test
  public void namedTypesListsEveryTypeOnceWithItsFlag() {
    LeakProneConfig c =
        LeakProneConfig.from(
            ErrorProneFlags.fromMap(
                ImmutableMap.of(
                    "LeakProne:ResourceFactories",
                        "com.acme.Pool#borrow,com.acme.Pool#lease,com.acme.Lease",
                    "LeakProne:ScopeTypes", "com.acme.Handle")));
    assertEquals(
        "[LeakProne:ResourceFactories=com.acme.Lease, LeakProne:ResourceFactories=com.acme.Pool,"
            + " LeakProne:ScopeTypes=com.acme.Handle]",
        c.namedTypes().toString());
  }

  @Test
  public void requestCheckFlags() {
    LeakProneConfig c =
        LeakProneConfig.from(
            ErrorProneFlags.fromMap(
                ImmutableMap.of(
                    "LeakProne:SpawningMethods", "com.acme.Jobs#launch",
                    "LeakProne:RequestTypes", "com.acme.web.RequestContext",
                    "LeakProne:SingletonAnnotations", "com.acme.Bean")));
    assertEquals("[com.acme.Jobs#launch]", c.spawningMethods().toString());
    assertEquals("[com.acme.web.RequestContext]", c.requestTypes().toString());
    assertEquals("[com.acme.Bean]", c.singletonAnnotations().toString());
    assertTrue(LeakProneConfig.empty().requestTypes().isEmpty());
    assertMessage(
        () -> parse("LeakProne:SpawningMethods", "Jobs#launch"),
        "-XepOpt:LeakProne:SpawningMethods",
        "'Jobs#launch'",
        "com.acme.Pool#borrow");
    assertMessage(
        () -> parse("LeakProne:RequestTypes", "RequestContext"),
        "-XepOpt:LeakProne:RequestTypes",
        "'RequestContext'",
        "com.acme.web.RequestContext");
    assertMessage(
        () -> parse("LeakProne:SingletonAnnotations", "com.acme.Bean#x"),
        "-XepOpt:LeakProne:SingletonAnnotations",
        "'com.acme.Bean#x'",
        "com.acme.Bean");
  }

  @Test
  public void unboundedStaticCollectionFlags() {
    LeakProneConfig c =
        LeakProneConfig.from(
            ErrorProneFlags.fromMap(
                ImmutableMap.of(
                    "LeakProne:UnboundedCollectionsStrict", "true",
                    "LeakProne:SingletonAnnotations", "com.acme.Service, com.acme.App",
                    "LeakProne:BoundedCollectionTypes", "com.acme.LruMap")));
    assertTrue(c.unboundedCollectionsStrict());
    assertEquals("[com.acme.Service, com.acme.App]", c.singletonAnnotations().toString());
    assertEquals("[com.acme.LruMap]", c.boundedCollectionTypes().toString());
    assertTrue(!LeakProneConfig.from(ErrorProneFlags.empty()).unboundedCollectionsStrict());
    assertMessage(
        () -> parse("LeakProne:UnboundedCollectionsStrict", "yes"),
        "-XepOpt:LeakProne:UnboundedCollectionsStrict",
        "'yes'",
        "true or false");
    assertMessage(
        () -> parse("LeakProne:SingletonAnnotations", "Service"),
        "-XepOpt:LeakProne:SingletonAnnotations",
        "'Service'",
        "a fully qualified annotation name");
    assertMessage(
        () -> parse("LeakProne:BoundedCollectionTypes", "com.acme.Lru#get"),
        "-XepOpt:LeakProne:BoundedCollectionTypes",
        "'com.acme.Lru#get'",
        "com.acme.LruMap");
  }

  @Test
  public void resourceModelFlags() {
    LeakProneConfig config =
        LeakProneConfig.from(
            ErrorProneFlags.fromMap(
                java.util.Map.of(
                    "LeakProne:AnyAutoCloseable", "true",
                    "LeakProne:ReleaseMethods", "giveBack,com.acme.Lease#free")));
    assertTrue(config.anyAutoCloseable());
    assertTrue(config.releaseMethodNames().contains("giveBack"));
    assertTrue(config.releaseMethods().get(0).toString().equals("com.acme.Lease#free"));
    assertMessage(
        () -> parse("LeakProne:AnyAutoCloseable", "yes"),
        "-XepOpt:LeakProne:AnyAutoCloseable",
        "'yes'",
        "true or false");
    assertMessage(
        () -> parse("LeakProne:ReleaseMethods", "give back"),
        "-XepOpt:LeakProne:ReleaseMethods",
        "'give back'",
        "com.acme.Lease#giveBack");
  }

  private static void assertMessage(org.junit.function.ThrowingRunnable r, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r);
    for (String part : parts) {
      assertTrue(e.getMessage() + " lacks " + part, e.getMessage().contains(part));
    }
  }
}
