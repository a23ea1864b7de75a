package dev.leakprone.config;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.google.errorprone.ErrorProneFlags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Every {@code -XepOpt:LeakProne:<Name>=…} flag, parsed and validated once per compilation.
 *
 * <p>Error Prone builds each checker once per compilation and hands it the flags; checks call
 * {@link #from(ErrorProneFlags)} in their constructor. A malformed value throws an {@link
 * IllegalArgumentException} whose message names the flag, the bad value and the accepted form;
 * checks parse through {@link FlagErrors#parse}, which turns it into one compiler error.
 */
public final class LeakProneConfig {

  /** The namespace of every flag. */
  public static final String PREFIX = "LeakProne:";

  /**
   * Extra resource types ({@code com.acme.Lease}) and factory methods ({@code
   * com.acme.Pool#borrow}).
   */
  public static final String RESOURCE_FACTORIES = PREFIX + "ResourceFactories";

  /** Types that are never resources ({@code com.acme.InMemoryChannel}). */
  public static final String EXEMPT_TYPES = PREFIX + "ExemptTypes";

  /** Methods that take ownership of a resource passed to them ({@code com.acme.Registry#adopt}). */
  public static final String OWNERSHIP_TAKING_METHODS = PREFIX + "OwnershipTakingMethods";

  /** Extra scope types and their release methods ({@code com.acme.Lease:release|close}). */
  public static final String SCOPE_TYPES = PREFIX + "ScopeTypes";

  /**
   * Extra methods that run their task argument on another thread ({@code com.acme.Jobs#launch}).
   */
  public static final String SPAWNING_METHODS = PREFIX + "SpawningMethods";

  /** Extra request-scoped types ({@code com.acme.web.RequestContext}). */
  public static final String REQUEST_TYPES = PREFIX + "RequestTypes";

  /**
   * Extra annotations whose classes are singletons ({@code com.acme.Bean}); shared by the checks
   * asking whether a field outlives a request.
   */
  public static final String SINGLETON_ANNOTATIONS = PREFIX + "SingletonAnnotations";

  /** UnboundedStaticCollection: also report non-private fields that escape, and weak-keyed maps. */
  public static final String UNBOUNDED_COLLECTIONS_STRICT = PREFIX + "UnboundedCollectionsStrict";

  /** Extra collection types that bound themselves ({@code com.acme.LruMap}). */
  public static final String BOUNDED_COLLECTION_TYPES = PREFIX + "BoundedCollectionTypes";

  /**
   * Extra thread-bound set/remove pairs for ThreadLocalNotRemoved ({@code
   * com.acme.TenantHolder#set|bind:clear|reset}).
   */
  public static final String THREAD_LOCAL_SETTERS = PREFIX + "ThreadLocalSetters";

  /**
   * Extra lifecycle pairs whose second method cleans up what the first binds, for
   * ThreadLocalNotRemoved ({@code com.acme.Hook#before:after} or
   * {@code @com.acme.Setup:@com.acme.Teardown}).
   */
  public static final String THREAD_LOCAL_CLEANUP_PAIRS = PREFIX + "ThreadLocalCleanupPairs";

  private static final String SETTERS_FORM =
      "com.acme.TenantHolder#set|bind:clear|reset (a fully qualified type, '#', its binding methods"
          + " separated by |, ':', the methods that remove the binding separated by |)";
  private static final String PAIRS_FORM =
      "com.acme.Hook#before:after (a fully qualified type, '#', the method that binds, ':', the method"
          + " of the same class that cleans up) or @com.acme.Setup:@com.acme.Teardown (two annotations)";

  // Reporting flags, read by dev.leakprone.report (see reportFlags below).

  /**
   * Where to write the SARIF 2.1.0 log of every finding ({@code
   * target/leakprone-{sourceSet}.sarif}).
   */
  public static final String SARIF_REPORT = PREFIX + "SarifReport";

  /**
   * The directory that SARIF file locations are relative to (default: nearest build root above the
   * sources).
   */
  public static final String SARIF_ROOT = PREFIX + "SarifRoot";

  /** A baseline file: findings listed there are not reported (they stay in the SARIF, marked). */
  public static final String BASELINE = PREFIX + "Baseline";

  /** Writes (or refreshes) a baseline file with the findings of the compilation. */
  public static final String WRITE_BASELINE = PREFIX + "WriteBaseline";

  /** {@code true}: every {@code AutoCloseable} from {@code new} is a resource (maximum recall). */
  public static final String ANY_AUTO_CLOSEABLE = PREFIX + "AnyAutoCloseable";

  /** Extra release methods: simple names ({@code giveBack}) or {@code com.acme.Lease#giveBack}. */
  public static final String RELEASE_METHODS = PREFIX + "ReleaseMethods";

  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private static final LeakProneConfig EMPTY =
      new LeakProneConfig(
          ImmutableSet.of(),
          ImmutableList.of(),
          ImmutableSet.of(),
          ImmutableList.of(),
          ImmutableMap.of());

  private ImmutableList<ThreadLocalSetter> threadLocalSetters = ImmutableList.of();
  private ImmutableList<CleanupPair> threadLocalCleanupPairs = ImmutableList.of();

  private final ImmutableSet<String> extraResourceTypes;
  private final ImmutableList<MethodName> extraResourceFactories;
  private final ImmutableSet<String> exemptTypes;
  private final ImmutableList<MethodName> ownershipTakingMethods;
  private final ImmutableMap<String, ImmutableSet<String>> scopeTypes;
  private ImmutableList<MethodName> spawningMethods = ImmutableList.of();
  private ImmutableSet<String> requestTypes = ImmutableSet.of();
  private ImmutableSet<String> singletonAnnotations = ImmutableSet.of();
  private boolean unboundedCollectionsStrict;
  private ImmutableSet<String> boundedCollectionTypes = ImmutableSet.of();
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
    rejectMisspelledPrefixesAndEmptyElements(flags);
    reportFlags(
        flags); // validated here too, so a malformed report flag stops the compilation like any
    // other
    ImmutableSet.Builder<String> types = ImmutableSet.builder();
    ImmutableList.Builder<MethodName> factories = ImmutableList.builder();
    for (String entry : flags.getListOrEmpty(RESOURCE_FACTORIES)) {
      String value = entry.trim();
      // Types in the default package (Lease, Pool#borrow) are accepted here: small projects and
      // scripts have them, and the name cannot be mistaken for anything else.
      if (value.contains("#")) {
        factories.add(parseMethod(RESOURCE_FACTORIES, value, true));
      } else {
        types.add(
            parseType(
                RESOURCE_FACTORIES,
                value,
                "a type (com.acme.Lease) or a factory method (com.acme.Pool#borrow)",
                true));
      }
    }
    ImmutableSet.Builder<String> exempt = ImmutableSet.builder();
    for (String entry : flags.getListOrEmpty(EXEMPT_TYPES)) {
      exempt.add(
          parseType(
              EXEMPT_TYPES,
              entry.trim(),
              "a fully qualified type name (com.acme.InMemoryChannel)"));
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
      parseType(
          SCOPE_TYPES,
          type,
          "com.acme.Lease:release|close (the type, then its release methods separated by |)");
      ImmutableSet.Builder<String> methods = ImmutableSet.builder();
      if (colon < 0) {
        methods.add("close");
      } else {
        for (String m : value.substring(colon + 1).split("\\|", -1)) {
          if (!SIMPLE_NAME.matcher(m).matches()) {
            throw bad(
                SCOPE_TYPES,
                value,
                "com.acme.Lease:release|close (the type, then its release methods separated by |)");
          }
          methods.add(m);
        }
      }
      scopes.put(type, methods.build());
    }
    LeakProneConfig config =
        new LeakProneConfig(
            types.build(),
            factories.build(),
            exempt.build(),
            owners.build(),
            ImmutableMap.copyOf(scopes));
    ImmutableList.Builder<MethodName> spawning = ImmutableList.builder();
    for (String entry : flags.getListOrEmpty(SPAWNING_METHODS)) {
      spawning.add(parseMethod(SPAWNING_METHODS, entry.trim()));
    }
    config.spawningMethods = spawning.build();
    ImmutableSet.Builder<String> requests = ImmutableSet.builder();
    for (String entry : flags.getListOrEmpty(REQUEST_TYPES)) {
      requests.add(
          parseType(
              REQUEST_TYPES,
              entry.trim(),
              "a fully qualified type name (com.acme.web.RequestContext)"));
    }
    config.requestTypes = requests.build();
    ImmutableSet.Builder<String> singletons = ImmutableSet.builder();
    for (String entry : flags.getListOrEmpty(SINGLETON_ANNOTATIONS)) {
      singletons.add(
          parseType(
              SINGLETON_ANNOTATIONS,
              entry.trim(),
              "a fully qualified annotation name (com.acme.Bean)"));
    }
    config.singletonAnnotations = singletons.build();
    config.unboundedCollectionsStrict = parseBoolean(flags, UNBOUNDED_COLLECTIONS_STRICT);
    config.boundedCollectionTypes = parseTypes(flags, BOUNDED_COLLECTION_TYPES, "com.acme.LruMap");
    config.threadLocalSetters = parseThreadLocalSetters(flags);
    config.threadLocalCleanupPairs = parseCleanupPairs(flags);
    parseResourceModelFlags(flags, config);
    return config;
  }

  private static ImmutableList<ThreadLocalSetter> parseThreadLocalSetters(ErrorProneFlags flags) {
    ImmutableList.Builder<ThreadLocalSetter> setters = ImmutableList.builder();
    for (String entry : flags.getListOrEmpty(THREAD_LOCAL_SETTERS)) {
      String value = entry.trim();
      int hash = value.indexOf('#');
      int colon = value.indexOf(':');
      if (hash <= 0 || colon < hash) {
        throw bad(THREAD_LOCAL_SETTERS, value, SETTERS_FORM);
      }
      String owner = parseType(THREAD_LOCAL_SETTERS, value.substring(0, hash), SETTERS_FORM);
      ImmutableSet<String> bind =
          simpleNames(THREAD_LOCAL_SETTERS, value, value.substring(hash + 1, colon), SETTERS_FORM);
      ImmutableSet<String> remove =
          simpleNames(THREAD_LOCAL_SETTERS, value, value.substring(colon + 1), SETTERS_FORM);
      setters.add(new ThreadLocalSetter(owner, bind, remove));
    }
    return setters.build();
  }

  private static ImmutableList<CleanupPair> parseCleanupPairs(ErrorProneFlags flags) {
    ImmutableList.Builder<CleanupPair> pairs = ImmutableList.builder();
    for (String entry : flags.getListOrEmpty(THREAD_LOCAL_CLEANUP_PAIRS)) {
      String value = entry.trim();
      int colon = value.indexOf(':');
      if (colon < 0) {
        throw bad(THREAD_LOCAL_CLEANUP_PAIRS, value, PAIRS_FORM);
      }
      String first = value.substring(0, colon);
      String second = value.substring(colon + 1);
      if (first.startsWith("@") && second.startsWith("@")) {
        pairs.add(
            new CleanupPair(
                null,
                parseType(THREAD_LOCAL_CLEANUP_PAIRS, first.substring(1), PAIRS_FORM),
                parseType(THREAD_LOCAL_CLEANUP_PAIRS, second.substring(1), PAIRS_FORM)));
        continue;
      }
      int hash = first.indexOf('#');
      if (hash <= 0
          || !SIMPLE_NAME.matcher(first.substring(hash + 1)).matches()
          || !SIMPLE_NAME.matcher(second).matches()) {
        throw bad(THREAD_LOCAL_CLEANUP_PAIRS, value, PAIRS_FORM);
      }
      pairs.add(
          new CleanupPair(
              parseType(THREAD_LOCAL_CLEANUP_PAIRS, first.substring(0, hash), PAIRS_FORM),
              first.substring(hash + 1),
              second));
    }
    return pairs.build();
  }

  private static ImmutableSet<String> simpleNames(
      String flag, String value, String names, String form) {
    ImmutableSet.Builder<String> result = ImmutableSet.builder();
    for (String name : names.split("\\|", -1)) {
      if (!SIMPLE_NAME.matcher(name).matches()) {
        throw bad(flag, value, form);
      }
      result.add(name);
    }
    return result.build();
  }

  private static void parseResourceModelFlags(ErrorProneFlags flags, LeakProneConfig config) {
    String any = flags.get(ANY_AUTO_CLOSEABLE).orElse(null);
    if (any != null) {
      String value = any.trim();
      if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException(
            "Invalid value '"
                + any
                + "' for -XepOpt:"
                + ANY_AUTO_CLOSEABLE
                + ": expected true or false");
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
        throw bad(
            RELEASE_METHODS,
            value,
            "method names (giveBack) or methods of a type (com.acme.Lease#giveBack)");
      }
    }
    config.releaseMethodNames = names.build();
    config.releaseMethods = methods.build();
  }

  private static void rejectUnknownFlags(ErrorProneFlags flags) {
    List<String> known =
        List.of(
            RESOURCE_FACTORIES,
            EXEMPT_TYPES,
            OWNERSHIP_TAKING_METHODS,
            SCOPE_TYPES,
            SPAWNING_METHODS,
            REQUEST_TYPES,
            SINGLETON_ANNOTATIONS,
            UNBOUNDED_COLLECTIONS_STRICT,
            BOUNDED_COLLECTION_TYPES,
            THREAD_LOCAL_SETTERS,
            THREAD_LOCAL_CLEANUP_PAIRS,
            SARIF_REPORT,
            SARIF_ROOT,
            BASELINE,
            WRITE_BASELINE,
            ANY_AUTO_CLOSEABLE,
            RELEASE_METHODS);
    for (String name : flags.getFlagsMap().keySet()) {
      if (name.startsWith(PREFIX) && !known.contains(name)) {
        throw new IllegalArgumentException(
            "-XepOpt:"
                + name
                + " is not a LeakProne flag; the flags are -XepOpt:"
                + String.join(", -XepOpt:", known));
      }
    }
  }

  /**
   * A flag under {@code -XepOpt:Leakprone:} (any other case) would be ignored silently; an empty
   * element of a comma-separated list (a trailing or doubled comma) is most likely a typo. Both are
   * errors. A repeated flag is not: Error Prone keeps the last value of each flag.
   */
  private static void rejectMisspelledPrefixesAndEmptyElements(ErrorProneFlags flags) {
    for (Map.Entry<String, String> flag : flags.getFlagsMap().entrySet()) {
      String name = flag.getKey();
      if (!name.startsWith(PREFIX)) {
        if (name.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
          throw new IllegalArgumentException(
              "-XepOpt:"
                  + name
                  + " is not read: flag names are case-sensitive;"
                  + " did you mean -XepOpt:"
                  + PREFIX
                  + name.substring(PREFIX.length())
                  + "?");
        }
        continue;
      }
      String value = flag.getValue();
      if (value == null || !value.contains(",")) {
        continue;
      }
      String[] elements = value.split(",", -1);
      for (int i = 0; i < elements.length; i++) {
        if (elements[i].trim().isEmpty()) {
          String where =
              i == 0
                  ? "before the first comma"
                  : i == elements.length - 1
                      ? "after the last comma"
                      : "after '" + elements[i - 1].trim() + "'";
          throw new IllegalArgumentException(
              "Empty element "
                  + (i + 1)
                  + " of "
                  + elements.length
                  + " ("
                  + where
                  + ") in -XepOpt:"
                  + name
                  + "="
                  + value
                  + ": remove the extra comma");
        }
      }
    }
  }

  /** The set of fully qualified type names in list flag {@code flag}. */
  private static ImmutableSet<String> parseTypes(
      ErrorProneFlags flags, String flag, String example) {
    ImmutableSet.Builder<String> out = ImmutableSet.builder();
    for (String entry : flags.getListOrEmpty(flag)) {
      out.add(parseType(flag, entry.trim(), "fully qualified type names (" + example + ")"));
    }
    return out.build();
  }

  private static boolean parseBoolean(ErrorProneFlags flags, String flag) {
    String value = flags.get(flag).orElse(null);
    if (value == null) {
      return false;
    }
    String v = value.trim();
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(
        "Invalid value '" + value + "' for -XepOpt:" + flag + ": expected true or false");
  }

  private static String parseType(String flag, String value, String form) {
    return parseType(flag, value, form, false);
  }

  private static String parseType(String flag, String value, String form, boolean defaultPackage) {
    if (!QUALIFIED_NAME.matcher(value).matches() || !(defaultPackage || value.contains("."))) {
      throw bad(flag, value, form);
    }
    return value;
  }

  private static MethodName parseMethod(String flag, String value) {
    return parseMethod(flag, value, false);
  }

  private static MethodName parseMethod(String flag, String value, boolean defaultPackage) {
    String form = "com.acme.Pool#borrow (a fully qualified type, '#', a method name)";
    int hash = value.indexOf('#');
    if (hash < 0) {
      throw bad(flag, value, form);
    }
    String owner = value.substring(0, hash);
    String method = value.substring(hash + 1);
    if (!QUALIFIED_NAME.matcher(owner).matches()
        || !(defaultPackage || owner.contains("."))
        || !(SIMPLE_NAME.matcher(method).matches() || method.equals("<init>"))) {
      throw bad(flag, value, form);
    }
    return new MethodName(owner, method);
  }

  private static IllegalArgumentException bad(String flag, String value, String form) {
    return new IllegalArgumentException(
        "Invalid value '"
            + value
            + "' for -XepOpt:"
            + flag
            + ": expected a comma-separated list of "
            + form);
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

  /**
   * Every type named in a flag, as (flag, fully qualified type name) pairs, so that a name that is
   * not on the classpath can be reported (a typo must not silently do nothing).
   */
  public ImmutableList<Map.Entry<String, String>> namedTypes() {
    ImmutableList.Builder<Map.Entry<String, String>> named = ImmutableList.builder();
    extraResourceTypes.forEach(t -> named.add(Map.entry(RESOURCE_FACTORIES, t)));
    extraResourceFactories.forEach(m -> named.add(Map.entry(RESOURCE_FACTORIES, m.owner())));
    exemptTypes.forEach(t -> named.add(Map.entry(EXEMPT_TYPES, t)));
    ownershipTakingMethods.forEach(m -> named.add(Map.entry(OWNERSHIP_TAKING_METHODS, m.owner())));
    scopeTypes.keySet().forEach(t -> named.add(Map.entry(SCOPE_TYPES, t)));
    spawningMethods.forEach(m -> named.add(Map.entry(SPAWNING_METHODS, m.owner())));
    requestTypes.forEach(t -> named.add(Map.entry(REQUEST_TYPES, t)));
    singletonAnnotations.forEach(t -> named.add(Map.entry(SINGLETON_ANNOTATIONS, t)));
    boundedCollectionTypes.forEach(t -> named.add(Map.entry(BOUNDED_COLLECTION_TYPES, t)));
    releaseMethods.forEach(m -> named.add(Map.entry(RELEASE_METHODS, m.owner())));
    threadLocalSetters.forEach(t -> named.add(Map.entry(THREAD_LOCAL_SETTERS, t.owner())));
    return named.build().stream().distinct().collect(ImmutableList.toImmutableList());
  }

  /** Extra spawning methods (RequestCapturedByAsyncTask). */
  public ImmutableList<MethodName> spawningMethods() {
    return spawningMethods;
  }

  /** Extra request-scoped types (RequestCapturedByAsyncTask, RequestStoredInField). */
  public ImmutableSet<String> requestTypes() {
    return requestTypes;
  }

  /** Extra singleton annotations, by qualified name. */
  public ImmutableSet<String> singletonAnnotations() {
    return singletonAnnotations;
  }

  /**
   * UnboundedStaticCollection's strict mode: escaping non-private fields and weak-keyed maps too.
   */
  public boolean unboundedCollectionsStrict() {
    return unboundedCollectionsStrict;
  }

  /** Extra collection types (and their subtypes) that bound themselves. */
  public ImmutableSet<String> boundedCollectionTypes() {
    return boundedCollectionTypes;
  }

  /** Extra thread-bound set/remove pairs ({@link #THREAD_LOCAL_SETTERS}). */
  public ImmutableList<ThreadLocalSetter> threadLocalSetters() {
    return threadLocalSetters;
  }

  /** Extra lifecycle pairs ({@link #THREAD_LOCAL_CLEANUP_PAIRS}). */
  public ImmutableList<CleanupPair> threadLocalCleanupPairs() {
    return threadLocalCleanupPairs;
  }

  /**
   * Methods of {@code owner} (static: the binding belongs to the class; instance: to the receiver)
   * that bind a value to the current thread, and those that remove it.
   */
  public record ThreadLocalSetter(
      String owner, ImmutableSet<String> bind, ImmutableSet<String> remove) {}

  /**
   * A lifecycle pair: in a class that extends or implements {@code owner}, the method {@code first}
   * binds and the method {@code second} cleans up; with a null owner, {@code first} and {@code
   * second} are annotation types marking the two methods.
   */
  public record CleanupPair(@Nullable String owner, String first, String second) {}

  /**
   * The reporting flags ({@link #SARIF_REPORT}, {@link #SARIF_ROOT}, {@link #BASELINE}, {@link
   * #WRITE_BASELINE}); each is a file or directory path, null when not set.
   *
   * @throws IllegalArgumentException if a value is empty or holds a NUL character
   */
  public static ReportFlags reportFlags(ErrorProneFlags flags) {
    if (flags == null || flags.isEmpty()) {
      return new ReportFlags(null, null, null, null);
    }
    return new ReportFlags(
        path(flags, SARIF_REPORT, "a file path (target/leakprone-{sourceSet}.sarif)"),
        path(flags, SARIF_ROOT, "a directory path (the repository root)"),
        path(flags, BASELINE, "a file path (leakprone-baseline.txt)"),
        path(flags, WRITE_BASELINE, "a file path (leakprone-baseline.txt)"));
  }

  private static @Nullable String path(ErrorProneFlags flags, String flag, String form) {
    String value = flags.get(flag).orElse(null);
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    if (trimmed.isEmpty() || trimmed.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "Invalid value '" + value + "' for -XepOpt:" + flag + ": expected " + form);
    }
    return trimmed;
  }

  /** The reporting flags: paths as given, null when not set. */
  public record ReportFlags(
      @Nullable String sarifReport,
      @Nullable String sarifRoot,
      @Nullable String baseline,
      @Nullable String writeBaseline) {}

  /**
   * Whether every {@code AutoCloseable} from {@code new} is a resource ({@code AnyAutoCloseable}).
   */
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
