package dev.leakprone.config;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.ErrorProneFlags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every {@code -XepOpt:LeakProne:<Name>=…} flag, parsed and validated once per compilation.
 *
 * <p>Error Prone builds each checker once per compilation and hands it the flags; checks call
 * {@link #from(ErrorProneFlags)} in their constructor. A malformed value throws an {@link
 * IllegalArgumentException} whose message names the flag and the accepted form, which stops the
 * compilation with that message.
 */
public final class LeakProneConfig {

  /** The namespace of every flag. */
  public static final String PREFIX = "LeakProne:";

  /** Extra resource types ({@code com.acme.Lease}) and factory methods ({@code com.acme.Pool#borrow}). */
  public static final String RESOURCE_FACTORIES = PREFIX + "ResourceFactories";

  /** Types that are never resources ({@code com.acme.InMemoryChannel}). */
  public static final String EXEMPT_TYPES = PREFIX + "ExemptTypes";

  /** Methods that take ownership of a resource passed to them ({@code com.acme.Registry#adopt}). */
  public static final String OWNERSHIP_TAKING_METHODS = PREFIX + "OwnershipTakingMethods";

  /** Extra scope types and their release methods ({@code com.acme.Lease:release|close}). */
  public static final String SCOPE_TYPES = PREFIX + "ScopeTypes";

  /** {@code true}: every {@code AutoCloseable} from {@code new} is a resource (maximum recall). */
  public static final String ANY_AUTO_CLOSEABLE = PREFIX + "AnyAutoCloseable";

  /** Extra release methods: simple names ({@code giveBack}) or {@code com.acme.Lease#giveBack}. */
  public static final String RELEASE_METHODS = PREFIX + "ReleaseMethods";

  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private static final LeakProneConfig EMPTY = new LeakProneConfig(
      ImmutableSet.of(), ImmutableList.of(), ImmutableSet.of(), ImmutableList.of(), ImmutableMap.of());

  private final ImmutableSet<String> extraResourceTypes;
  private final ImmutableList<MethodName> extraResourceFactories;
  private final ImmutableSet<String> exemptTypes;
  private final ImmutableList<MethodName> ownershipTakingMethods;
  private final ImmutableMap<String, ImmutableSet<String>> scopeTypes;
  private boolean anyAutoCloseable;
  private ImmutableSet<String> releaseMethodNames = ImmutableSet.of();
  private ImmutableList<MethodName> releaseMethods = ImmutableList.of();

  private LeakProneConfig(
      ImmutableSet<String> extraResourceTypes,
      ImmutableList<MethodName> extraResourceFactories,
      ImmutableSet<String> exemptTypes,
      ImmutableList<MethodName> ownershipTakingMethods,
      ImmutableMap<String, ImmutableSet<String>> scopeTypes) {
    this.extraResourceTypes = extraResourceTypes;
    this.extraResourceFactories = extraResourceFactories;
    this.exemptTypes = exemptTypes;
    this.ownershipTakingMethods = ownershipTakingMethods;
    this.scopeTypes = scopeTypes;
  }

  /** The configuration with no flags set. */
  public static LeakProneConfig empty() {
    return EMPTY;
  }

  /**
   * Parses every LeakProne flag.
   *
   * @throws IllegalArgumentException if a value is malformed; the message names the flag
   */
  public static LeakProneConfig from(ErrorProneFlags flags) {
    if (flags == null || flags.isEmpty()) {
      return EMPTY;
    }
    rejectUnknownFlags(flags);
    ImmutableSet.Builder<String> types = ImmutableSet.builder();
    ImmutableList.Builder<MethodName> factories = ImmutableList.builder();
    for (String entry : flags.getListOrEmpty(RESOURCE_FACTORIES)) {
      String value = entry.trim();
      if (value.contains("#")) {
        factories.add(parseMethod(RESOURCE_FACTORIES, value));
      } else {
        types.add(parseType(RESOURCE_FACTORIES, value, "a type (com.acme.Lease) or a factory method (com.acme.Pool#borrow)"));
      }
    }
    ImmutableSet.Builder<String> exempt = ImmutableSet.builder();
    for (String entry : flags.getListOrEmpty(EXEMPT_TYPES)) {
      exempt.add(parseType(EXEMPT_TYPES, entry.trim(), "a fully qualified type name (com.acme.InMemoryChannel)"));
    }
    ImmutableList.Builder<MethodName> owners = ImmutableList.builder();
    for (String entry : flags.getListOrEmpty(OWNERSHIP_TAKING_METHODS)) {
      owners.add(parseMethod(OWNERSHIP_TAKING_METHODS, entry.trim()));
    }
    Map<String, ImmutableSet<String>> scopes = new LinkedHashMap<>();
    for (String entry : flags.getListOrEmpty(SCOPE_TYPES)) {
      String value = entry.trim();
      int colon = value.indexOf(':');
      String type = colon < 0 ? value : value.substring(0, colon);
      parseType(SCOPE_TYPES, type, "com.acme.Lease:release|close (the type, then its release methods separated by |)");
      ImmutableSet.Builder<String> methods = ImmutableSet.builder();
      if (colon < 0) {
        methods.add("close");
      } else {
        for (String m : value.substring(colon + 1).split("\\|", -1)) {
          if (!SIMPLE_NAME.matcher(m).matches()) {
            throw bad(SCOPE_TYPES, value,
                "com.acme.Lease:release|close (the type, then its release methods separated by |)");
          }
          methods.add(m);
        }
      }
      scopes.put(type, methods.build());
    }
    LeakProneConfig config = new LeakProneConfig(
        types.build(), factories.build(), exempt.build(), owners.build(), ImmutableMap.copyOf(scopes));
    parseResourceModelFlags(flags, config);
    return config;
  }

  private static void parseResourceModelFlags(ErrorProneFlags flags, LeakProneConfig config) {
    String any = flags.get(ANY_AUTO_CLOSEABLE).orElse(null);
    if (any != null) {
      String value = any.trim();
      if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            "Invalid value '" + any + "' for -XepOpt:" + ANY_AUTO_CLOSEABLE + ": expected true or false");
      }
      config.anyAutoCloseable = Boolean.parseBoolean(value);
    }
    ImmutableSet.Builder<String> names = ImmutableSet.builder();
    ImmutableList.Builder<MethodName> methods = ImmutableList.builder();
    for (String entry : flags.getListOrEmpty(RELEASE_METHODS)) {
      String value = entry.trim();
      if (value.contains("#")) {
        methods.add(parseMethod(RELEASE_METHODS, value));
      } else if (SIMPLE_NAME.matcher(value).matches()) {
        names.add(value);
      } else {
        throw bad(RELEASE_METHODS, value,
            "method names (giveBack) or methods of a type (com.acme.Lease#giveBack)");
      }
    }
    config.releaseMethodNames = names.build();
    config.releaseMethods = methods.build();
  }

  private static void rejectUnknownFlags(ErrorProneFlags flags) {
    List<String> known = List.of(RESOURCE_FACTORIES, EXEMPT_TYPES, OWNERSHIP_TAKING_METHODS, SCOPE_TYPES,
        ANY_AUTO_CLOSEABLE, RELEASE_METHODS);
    for (String name : flags.getFlagsMap().keySet()) {
      if (name.startsWith(PREFIX) && !known.contains(name)) {
        throw new IllegalArgumentException(
            "-XepOpt:" + name + " is not a LeakProne flag; the flags are -XepOpt:" + String.join(", -XepOpt:", known));
      }
    }
  }

  private static String parseType(String flag, String value, String form) {
    if (!QUALIFIED_NAME.matcher(value).matches() || !value.contains(".")) {
      throw bad(flag, value, form);
    }
    return value;
  }

  private static MethodName parseMethod(String flag, String value) {
    String form = "com.acme.Pool#borrow (a fully qualified type, '#', a method name)";
    int hash = value.indexOf('#');
    if (hash < 0) {
      throw bad(flag, value, form);
    }
    String owner = value.substring(0, hash);
    String method = value.substring(hash + 1);
    if (!QUALIFIED_NAME.matcher(owner).matches() || !owner.contains(".")
        || !(SIMPLE_NAME.matcher(method).matches() || method.equals("<init>"))) {
      throw bad(flag, value, form);
    }
    return new MethodName(owner, method);
  }

  private static IllegalArgumentException bad(String flag, String value, String form) {
    return new IllegalArgumentException(
        "Invalid value '" + value + "' for -XepOpt:" + flag + ": expected a comma-separated list of " + form);
  }

  public ImmutableSet<String> extraResourceTypes() {
    return extraResourceTypes;
  }

  public ImmutableList<MethodName> extraResourceFactories() {
    return extraResourceFactories;
  }

  public ImmutableSet<String> exemptTypes() {
    return exemptTypes;
  }

  public ImmutableList<MethodName> ownershipTakingMethods() {
    return ownershipTakingMethods;
  }

  /** Extra scope types, each with the methods that release it. */
  public ImmutableMap<String, ImmutableSet<String>> scopeTypes() {
    return scopeTypes;
  }

  /** Whether every {@code AutoCloseable} from {@code new} is a resource ({@code AnyAutoCloseable}). */
  public boolean anyAutoCloseable() {
    return anyAutoCloseable;
  }

  /** Release methods named by {@code ReleaseMethods} without a type: on any resource. */
  public ImmutableSet<String> releaseMethodNames() {
    return releaseMethodNames;
  }

  /** Release methods named by {@code ReleaseMethods} with their type. */
  public ImmutableList<MethodName> releaseMethods() {
    return releaseMethods;
  }

  /** A method named by its declaring (or a super-) type and its simple name; any overload. */
  public record MethodName(String owner, String name) {
    @Override
    public String toString() {
      return owner + "#" + name;
    }
  }
}
