package dev.leakprone.collection;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.CompilationTestHelper;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class UnboundedStaticCollectionTest {
  private final CompilationTestHelper helper =
      CompilationTestHelper.newInstance(UnboundedStaticCollection.class, getClass());

  private CompilationTestHelper strict() {
    return helper.setArgs(ImmutableList.of("-XepOpt:LeakProne:UnboundedCollectionsStrict=true"));
  }

  /** A second helper in strict mode, for tests that also run {@link #helper} (one run each). */
  private CompilationTestHelper freshStrict() {
    return CompilationTestHelper.newInstance(UnboundedStaticCollection.class, getClass())
        .setArgs("-XepOpt:LeakProne:UnboundedCollectionsStrict=true");
  }

  // ---------------------------------------------------------------------------------------------
  // Positives

  @Test
  public void springComponentStaticListCollectsEveryPayload() {
    helper
        .addSourceLines(
            "PayloadAudit.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        import org.springframework.stereotype.Component;
        @Component
        class PayloadAudit {
          // BUG: Diagnostic contains: static collection 'cache' only grows: elements are added in record() (add(…) at line 8)
          private static List<Object> cache = new ArrayList<>();
          void record(Object payload) { cache.add(payload); }
          int size() { return cache.size(); }
        }
        """)
        .doTest();
  }

  @Test
  public void requestContextPutAtStartNeverRemoved() {
    // The request starts in a servlet filter (a singleton): its code runs per request.
    helper
        .addSourceLines(
            "RequestContexts.java",
            """
        import jakarta.servlet.Filter;
        import jakarta.servlet.FilterChain;
        import jakarta.servlet.ServletException;
        import jakarta.servlet.ServletRequest;
        import jakarta.servlet.ServletResponse;
        import java.io.IOException;
        import java.util.HashMap;
        import java.util.Map;
        class RequestContexts implements Filter {
          static final class RequestContext { final String user; RequestContext(String u) { user = u; } }
          // BUG: Diagnostic contains: static map 'CONTEXTS' only grows
          private static final Map<String, RequestContext> CONTEXTS = new HashMap<>();
          @Override
          public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
              throws IOException, ServletException {
            CONTEXTS.put(req.getRequestId(), new RequestContext(req.getRemoteAddr()));
            chain.doFilter(req, res);
          }
          static RequestContext current(String requestId) { return CONTEXTS.get(requestId); }
        }
        """)
        .doTest();
  }

  @Test
  public void interningSetOfRequestPaths() {
    helper
        .addSourceLines(
            "PathInterner.java",
            """
        import jakarta.servlet.http.HttpServletRequest;
        import java.util.Set;
        import java.util.concurrent.ConcurrentHashMap;
        class PathInterner {
          // BUG: Diagnostic contains: static collection 'PATHS' only grows
          private static final Set<String> PATHS = ConcurrentHashMap.newKeySet();
          // The paths come from the request (through a local variable): keys the clients choose.
          static String intern(HttpServletRequest request) {
            String path = request.getRequestURI();
            PATHS.add(path);
            return path;
          }
        }
        """)
        .doTest();
  }

  @Test
  public void growthThroughLocalAlias() {
    helper
        .addSourceLines(
            "Alias.java",
            """
        import java.util.LinkedList;
        import java.util.List;
        class Alias {
          // BUG: Diagnostic contains: 'EVENTS'
          private static final List<String> EVENTS = new LinkedList<>();
          void on(String e) { List<String> events = EVENTS; synchronized (events) { events.add(e); } }
        }
        """)
        .doTest();
  }

  @Test
  public void growthThroughGetter() {
    helper
        .addSourceLines(
            "Getter.java",
            """
        import java.util.Map;
        import java.util.TreeMap;
        class Getter {
          // BUG: Diagnostic contains: 'BY_NAME'
          private static final Map<String, Integer> BY_NAME = new TreeMap<>();
          private static Map<String, Integer> byName() { return BY_NAME; }
          void count(jakarta.servlet.ServletRequest req) { byName().merge(req.getRemoteAddr(), 1, Integer::sum); }
        }
        """)
        .doTest();
  }

  @Test
  public void growthThroughComputeIfAbsentAdd() {
    helper
        .addSourceLines(
            "Listeners.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        import java.util.Map;
        import java.util.concurrent.ConcurrentHashMap;
        class Listeners {
          // BUG: Diagnostic contains: 'LISTENERS'
          private static final Map<String, List<Runnable>> LISTENERS = new ConcurrentHashMap<>();
          static { LISTENERS.put("boot", new ArrayList<>()); }
          void listen(String topic, Runnable r) { LISTENERS.get(topic).add(r); }
        }
        """)
        .doTest();
  }

  /**
   * A local variable is a collection held in the map only while its last assignment in the method
   * says so. mysql-connector-j {@code NativeCharsetSettings} reads {@code BY_URL.get(url)} into a
   * local, replaces it with a fresh map when absent, fills that map and only then puts it (wrapped)
   * into the static map: the fills grow a new map, not one held in the field, so they are no
   * evidence of growth per call (and a map keyed by a configured URL is a registry: strict mode
   * only). The classic get-or-create of a multimap puts the fresh list into the map before adding
   * to it: the list is held in the map again, and each call grows it — unless the fresh value is
   * itself bounded (tomcat {@code StringManager}: an LRU {@code LinkedHashMap} per package).
   */
  @Test
  public void aLocalReassignedToAFreshCollectionIsNoLongerHeldInTheMap() {
    String source =
        """
        import java.util.ArrayList;
        import java.util.Collections;
        import java.util.HashMap;
        import java.util.LinkedHashMap;
        import java.util.List;
        import java.util.Map;
        class Settings {
          private static final Map<String, Map<Integer, String>> BY_URL = new HashMap<>();
          private static final Map<String, List<String>> EVENTS = new HashMap<>();
          Map<Integer, String> collations(String url, String[] names) {
            Map<Integer, String> collations = BY_URL.get(url);
            if (collations == null) {
              collations = new HashMap<>();
              for (int i = 0; i < names.length; i++) {
                collations.put(i, names[i]);
              }
              BY_URL.put(url, Collections.unmodifiableMap(collations));
            }
            return collations;
          }
          private static final Map<String, Map<String, String>> MANAGERS = new HashMap<>();
          static String manager(String pkg, String locale) {
            Map<String, String> map = MANAGERS.get(pkg);
            if (map == null) {
              map =
                  new LinkedHashMap<>(16, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                      return size() > 10;
                    }
                  };
              MANAGERS.put(pkg, map);
            }
            return map.computeIfAbsent(locale, l -> pkg + l);
          }
          void record(String user, String event) {
            List<String> events = EVENTS.get(user);
            if (events == null) {
              events = new ArrayList<>();
              EVENTS.put(user, events);
            }
            events.add(event);
          }
        }
        """;
    helper
        .addSourceLines(
            "Settings.java",
            source.replace(
                "  private static final Map<String, List<String>> EVENTS",
                "  // BUG: Diagnostic contains: 'EVENTS'\n"
                    + "  private static final Map<String, List<String>> EVENTS"))
        .doTest();
    freshStrict()
        .addSourceLines(
            "Settings.java",
            source
                .replace(
                    "  private static final Map<String, Map<Integer, String>> BY_URL",
                    "  // BUG: Diagnostic contains: 'BY_URL'\n"
                        + "  private static final Map<String, Map<Integer, String>> BY_URL")
                .replace(
                    "  private static final Map<String, Map<String, String>> MANAGERS",
                    "  // BUG: Diagnostic contains: 'MANAGERS'\n"
                        + "  private static final Map<String, Map<String, String>> MANAGERS")
                .replace(
                    "  private static final Map<String, List<String>> EVENTS",
                    "  // BUG: Diagnostic contains: 'EVENTS'\n"
                        + "  private static final Map<String, List<String>> EVENTS"))
        .doTest();
  }

  @Test
  public void growthThroughComputeIfAbsentThenAddOnInnerList() {
    helper
        .addSourceLines(
            "Index.java",
            """
        import java.util.ArrayList;
        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;
        class Index {
          // BUG: Diagnostic contains: 'INDEX'
          private static final Map<String, List<String>> INDEX = new HashMap<>();
          void index(String word, String doc) { INDEX.computeIfAbsent(word, k -> new ArrayList<>()).add(doc); }
        }
        """)
        .doTest();
  }

  /**
   * An enum singleton's map filled from a method's parameters is like a static one: the callers are
   * other code of the application, with keys it chooses, so without evidence of growth per call
   * (what a request gives, a collection held in the map, a list that keeps duplicates) it is
   * reported only in strict mode. Only singletons that serve requests (controllers, JAX-RS
   * resources and providers, servlets, filters, Netty handlers) count as evidence themselves: on
   * held-out round 4 all three singleton rows (a quartz manager holding its own instance, two
   * maven-resolver {@code @Singleton} components) were registries or caches of configured keys.
   */
  @Test
  public void enumSingletonInstanceMap() {
    String source =
        """
        import java.util.ArrayList;
        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;
        enum Registry {
          INSTANCE;
          private final Map<String, Object> sessions = new HashMap<>();
          // BUG: Diagnostic contains: collection 'opened' of singleton enum Registry only grows
          private final List<String> opened = new ArrayList<>();
          void open(String id, Object session) { sessions.put(id, session); opened.add(id); }
        }
        """;
    helper.addSourceLines("Registry.java", source).doTest();
    freshStrict()
        .addSourceLines(
            "Registry.java",
            source.replace(
                "  private final Map<String, Object> sessions",
                "  // BUG: Diagnostic contains: map 'sessions' of singleton enum Registry only grows\n"
                    + "  private final Map<String, Object> sessions"))
        .doTest();
  }

  /**
   * Held-out round 4 (maven-resolver {@code SummaryFileTrustedChecksumsSource}): a
   * {@code @Singleton} component's get-or-create cache keyed by a path its callers choose (base
   * directory × repository × checksum kind) is bounded by configuration. A component is not called
   * per request, so this is strict mode only; the same cache in a controller is reported.
   */
  @Test
  public void aComponentsGetOrCreateCacheIsReportedOnlyInStrictMode() {
    String source =
        """
        import java.nio.file.Path;
        import java.util.Map;
        import java.util.concurrent.ConcurrentHashMap;
        import javax.inject.Named;
        import javax.inject.Singleton;
        @Singleton
        @Named
        class ChecksumsSource {
          private final ConcurrentHashMap<Path, Map<String, String>> checksums = new ConcurrentHashMap<>();
          Map<String, String> checksums(Path summaryFile) {
            return checksums.computeIfAbsent(summaryFile, p -> Map.of(p.toString(), "sha1"));
          }
        }
        """;
    helper.addSourceLines("ChecksumsSource.java", source).doTest();
    freshStrict()
        .addSourceLines(
            "ChecksumsSource.java",
            source.replace(
                "  private final ConcurrentHashMap",
                "  // BUG: Diagnostic contains: 'checksums'\n  private final ConcurrentHashMap"))
        .doTest();
  }

  @Test
  public void restControllerInstanceCache() {
    helper
        .addSourceLines(
            "OrderController.java",
            """
        import java.util.HashMap;
        import java.util.Map;
        import org.springframework.web.bind.annotation.RestController;
        @RestController
        class OrderController {
          // BUG: Diagnostic contains: of singleton OrderController (@RestController)
          private final Map<String, String> lastOrderByUser = new HashMap<>();
          String order(String user, String item) { lastOrderByUser.put(user, item); return item; }
        }
        """)
        .doTest();
  }

  @Test
  public void selfHoldingSingletonAssignedInConstructor() {
    helper
        .addSourceLines(
            "Tracker.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        class Tracker {
          static final Tracker INSTANCE = new Tracker();
          // BUG: Diagnostic contains: 'seen'
          private final List<String> seen;
          private Tracker() { seen = new ArrayList<>(); }
          void see(String s) { seen.add(s); }
        }
        """)
        .doTest();
  }

  @Test
  public void constructorOfNonSingletonAddingToStaticRegistryIsRuntimeGrowth() {
    helper
        .addSourceLines(
            "Connection.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        class Connection {
          // BUG: Diagnostic contains: the constructor of Connection
          private static final List<Connection> ALL = new ArrayList<>();
          Connection() { ALL.add(this); }
        }
        """)
        .doTest();
  }

  @Test
  public void mergeWithMethodReferenceNeverRemoves() {
    helper
        .addSourceLines(
            "Counts.java",
            """
        import java.util.HashMap;
        import java.util.Map;
        class Counts {
          // BUG: Diagnostic contains: 'COUNTS'
          private static final Map<String, Integer> COUNTS = new HashMap<>();
          void hit(jakarta.servlet.http.HttpServletRequest req) { COUNTS.merge(req.getRequestURI(), 1, Integer::sum); }
        }
        """)
        .doTest();
  }

  @Test
  public void guavaMultimapAndSynchronizedWrapper() {
    helper
        .addSourceLines(
            "Tags.java",
            """
        import com.google.common.collect.ArrayListMultimap;
        import com.google.common.collect.Multimap;
        import java.util.Collections;
        import java.util.HashSet;
        import java.util.Set;
        class Tags {
          // BUG: Diagnostic contains: 'TAGS'
          private static final Multimap<String, String> TAGS = ArrayListMultimap.create();
          // BUG: Diagnostic contains: 'USERS'
          private static final Set<String> USERS = Collections.synchronizedSet(new HashSet<>());
          void tag(String k, String v, jakarta.servlet.http.HttpServletRequest req) { TAGS.put(k, v); USERS.add(req.getRemoteUser()); }
        }
        """)
        .doTest();
  }

  @Test
  public void growthInLambdaRegisteredFromStaticInitializer() {
    helper
        .addSourceLines(
            "Later.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        class Later {
          // BUG: Diagnostic contains: a lambda in the static initializer of Later
          private static final List<String> LOG = new ArrayList<>();
          static final Runnable R;
          static { R = () -> LOG.add("tick"); }
        }
        """)
        .doTest();
  }

  @Test
  public void unboundedLinkedBlockingQueueOnlyOffered() {
    helper
        .addSourceLines(
            "Outbox.java",
            """
        import java.util.concurrent.LinkedBlockingQueue;
        class Outbox {
          // BUG: Diagnostic contains: 'QUEUE'
          private static final LinkedBlockingQueue<String> QUEUE = new LinkedBlockingQueue<>();
          void send(String m) { QUEUE.offer(m); }
        }
        """)
        .doTest();
  }

  // ---------------------------------------------------------------------------------------------
  // Negatives

  @Test
  public void populatedOnlyInStaticInitializerAndConstructor() {
    helper
        .addSourceLines(
            "Handlers.java",
            """
        import java.util.HashMap;
        import java.util.Map;
        class Handlers {
          private static final Map<String, Runnable> HANDLERS = new HashMap<>();
          static { HANDLERS.put("a", () -> {}); register("b", () -> {}); }
          // Private helper called only from the static initializer: still set-up code.
          private static void register(String k, Runnable r) { HANDLERS.put(k, r); }
          static Runnable handler(String k) { return HANDLERS.get(k); }
        }
        """)
        .doTest();
  }

  @Test
  public void singletonPopulatedInConstructorPostConstructAndAfterPropertiesSet() {
    helper
        .addSourceLines(
            "Routes.java",
            """
        import jakarta.annotation.PostConstruct;
        import java.util.ArrayList;
        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;
        import org.springframework.beans.factory.InitializingBean;
        import org.springframework.stereotype.Service;
        @Service
        class Routes implements InitializingBean {
          private final Map<String, String> routes = new HashMap<>();
          private final List<String> names = new ArrayList<>();
          private final List<String> more = new ArrayList<>();
          Routes() { routes.put("/", "home"); }
          @PostConstruct void init() { names.add("home"); }
          @Override public void afterPropertiesSet() { more.add("x"); }
          String route(String p) { return routes.get(p) + names.size() + more.size(); }
        }
        """)
        .doTest();
  }

  @Test
  public void linkedHashMapWithRemoveEldestEntry() {
    helper
        .addSourceLines(
            "Lru.java",
            """
        import java.util.LinkedHashMap;
        import java.util.Map;
        class Lru {
          private static final Map<String, String> RECENT = new LinkedHashMap<>(16, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<String, String> e) { return size() > 100; }
          };
          static final class LruMap<K, V> extends LinkedHashMap<K, V> {
            @Override protected boolean removeEldestEntry(Map.Entry<K, V> e) { return size() > 10; }
          }
          private static final Map<String, String> NAMED = new LruMap<>();
          void see(String k) { RECENT.put(k, k); NAMED.put(k, k); }
        }
        """)
        .doTest();
  }

  @Test
  public void boundedCaffeineAndGuavaCaches() {
    helper
        .addSourceLines(
            "Caches.java",
            """
        import com.github.benmanes.caffeine.cache.Caffeine;
        import com.google.common.cache.CacheBuilder;
        import java.time.Duration;
        import java.util.concurrent.ConcurrentMap;
        class Caches {
          private static final ConcurrentMap<String, String> A =
              Caffeine.newBuilder().maximumSize(1000).<String, String>build().asMap();
          private static final ConcurrentMap<String, String> B =
              CacheBuilder.newBuilder().expireAfterWrite(Duration.ofMinutes(5)).<String, String>build().asMap();
          void put(String k) { A.put(k, k); B.put(k, k); }
        }
        """)
        .doTest();
  }

  @Test
  public void enumMapEnumSetAndImmutableCollections() {
    helper
        .addSourceLines(
            "Finite.java",
            """
        import com.google.common.collect.ImmutableList;
        import java.util.Collections;
        import java.util.EnumMap;
        import java.util.EnumSet;
        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;
        import java.util.Set;
        import java.util.concurrent.TimeUnit;
        class Finite {
          private static final Map<TimeUnit, String> BY_UNIT = new EnumMap<>(TimeUnit.class);
          private static final Set<TimeUnit> UNITS = EnumSet.noneOf(TimeUnit.class);
          private static final List<String> FIXED = List.of("a");
          private static final Map<String, String> RO = Collections.unmodifiableMap(new HashMap<>());
          private static final List<String> GUAVA = ImmutableList.of("x");
          void use(TimeUnit u) { BY_UNIT.put(u, "x"); UNITS.add(u); }
        }
        """)
        .doTest();
  }

  @Test
  public void mapKeyedByEnumOrBoolean() {
    helper
        .addSourceLines(
            "Keyed.java",
            """
        import java.util.HashMap;
        import java.util.HashSet;
        import java.util.Map;
        import java.util.Set;
        import java.util.concurrent.TimeUnit;
        class Keyed {
          // At most one entry per constant: bounded.
          private static final Map<TimeUnit, Long> BY_UNIT = new HashMap<>();
          private static final Map<Boolean, String> BY_FLAG = new HashMap<>();
          private static final Set<TimeUnit> SEEN = new HashSet<>();
          void put(TimeUnit u, boolean b) { BY_UNIT.put(u, 1L); BY_FLAG.put(b, ""); SEEN.add(u); }
        }
        """)
        .doTest();
  }

  @Test
  public void removedOnAnotherPathOrInAScheduledSweep() {
    helper
        .addSourceLines(
            "Sessions.java",
            """
        import java.util.Map;
        import java.util.concurrent.ConcurrentHashMap;
        class Sessions {
          private static final Map<String, Long> SESSIONS = new ConcurrentHashMap<>();
          private static final Map<String, Long> SWEPT = new ConcurrentHashMap<>();
          void begin(String id) { SESSIONS.put(id, 1L); SWEPT.put(id, System.nanoTime()); }
          void end(String id) { SESSIONS.remove(id); }
          // The check proves "never shrinks", not "always shrinks".
          void sweep() { SWEPT.entrySet().removeIf(e -> e.getValue() < 0); }
        }
        """)
        .doTest();
  }

  @Test
  public void removalThroughViewsIteratorAndPoll() {
    helper
        .addSourceLines(
            "Views.java",
            """
        import java.util.ArrayDeque;
        import java.util.HashMap;
        import java.util.HashSet;
        import java.util.Iterator;
        import java.util.Map;
        import java.util.Set;
        class Views {
          private static final Map<String, String> A = new HashMap<>();
          private static final Set<String> B = new HashSet<>();
          private static final ArrayDeque<String> C = new ArrayDeque<>();
          void keep(String s) { A.put(s, s); B.add(s); C.push(s); }
          void trim() {
            A.keySet().retainAll(Set.of("x"));
            for (Iterator<String> it = B.iterator(); it.hasNext(); ) { if (it.next().isEmpty()) it.remove(); }
            C.poll();
          }
        }
        """)
        .doTest();
  }

  @Test
  public void computeReturningNullRemoves() {
    helper
        .addSourceLines(
            "Refs.java",
            """
        import java.util.HashMap;
        import java.util.Map;
        class Refs {
          private static final Map<String, Integer> REFS = new HashMap<>();
          void acquire(String k) { REFS.merge(k, 1, Integer::sum); }
          void release(String k) { REFS.compute(k, (key, n) -> n == null || n == 1 ? null : n - 1); }
        }
        """)
        .doTest();
  }

  @Test
  public void reassignedWholesaleCopyOnWrite() {
    helper
        .addSourceLines(
            "Snapshot.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        class Snapshot {
          private static volatile List<String> items = new ArrayList<>();
          static synchronized void keep(String s) {
            List<String> copy = new ArrayList<>(items);
            copy.add(s);
            items = copy;
          }
          private static List<String> buf = new ArrayList<>();
          static void log(String s) { buf.add(s); }
          static void flush() { buf = new ArrayList<>(); }
        }
        """)
        .doTest();
  }

  @Test
  public void weakHashMapAndClassValueNotReportedByDefault() {
    helper
        .addSourceLines(
            "Weak.java",
            """
        import java.util.Map;
        import java.util.WeakHashMap;
        import com.google.common.collect.MapMaker;
        class Weak {
          private static final Map<Object, String> NAMES = new WeakHashMap<>();
          private static final Map<Object, String> GUAVA = new MapMaker().weakKeys().makeMap();
          private static final ClassValue<String> CV = new ClassValue<>() {
            @Override protected String computeValue(Class<?> c) { return c.getName(); }
          };
          void name(Object o) { NAMES.put(o, o.toString()); GUAVA.put(o, ""); CV.get(o.getClass()); }
        }
        """)
        .doTest();
  }

  @Test
  public void weakKeyedMapReportedInStrictModeWithExplanation() {
    strict()
        .addSourceLines(
            "Weak.java",
            """
        import java.util.Map;
        import java.util.WeakHashMap;
        class Weak {
          // BUG: Diagnostic contains: weak keys do not bound it
          private static final Map<Object, String> NAMES = new WeakHashMap<>();
          void name(Object o) { NAMES.put(o, o.toString()); }
        }
        """)
        .doTest();
  }

  @Test
  public void classKeyedCacheNotReportedByDefault() {
    // Bounded by the number of loaded classes (see the docs for the corpus measurement).
    helper
        .addSourceLines(
            "Serializers.java",
            """
        import java.util.Map;
        import java.util.concurrent.ConcurrentHashMap;
        class Serializers {
          private static final Map<Class<?>, String> BY_TYPE = new ConcurrentHashMap<>();
          static String of(Class<?> c) { return BY_TYPE.computeIfAbsent(c, Class::getName); }
        }
        """)
        .doTest();
  }

  @Test
  public void classKeyedCacheReportedInStrictMode() {
    strict()
        .addSourceLines(
            "Serializers.java",
            """
        import java.util.Map;
        import java.util.concurrent.ConcurrentHashMap;
        class Serializers {
          // BUG: Diagnostic contains: keyed by Class
          private static final Map<Class<?>, String> BY_TYPE = new ConcurrentHashMap<>();
          static String of(Class<?> c) { return BY_TYPE.computeIfAbsent(c, Class::getName); }
        }
        """)
        .doTest();
  }

  @Test
  public void nonPrivateAndEscapingFieldsNotReportedByDefault() {
    helper
        .addSourceLines(
            "Escapes.java",
            """
        import java.util.ArrayList;
        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;
        import java.util.function.Consumer;
        class Escapes {
          // Visible to other classes, which may remove from it.
          static final Map<String, String> SHARED = new HashMap<>();
          private static final List<String> RETURNED = new ArrayList<>();
          private static final List<String> PASSED = new ArrayList<>();
          void keep(String s, Consumer<List<String>> cleaner) {
            SHARED.put(s, s); RETURNED.add(s); PASSED.add(s);
            cleaner.accept(PASSED);
          }
          public List<String> returned() { return RETURNED; }
        }
        """)
        .doTest();
  }

  @Test
  public void nonPrivateAndEscapingFieldsReportedInStrictMode() {
    strict()
        .addSourceLines(
            "Escapes.java",
            """
        import java.util.ArrayList;
        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;
        class Escapes {
          // BUG: Diagnostic contains: it is not private
          static final Map<String, String> SHARED = new HashMap<>();
          // BUG: Diagnostic contains: returned by returned()
          private static final List<String> RETURNED = new ArrayList<>();
          void keep(String s) { SHARED.put(s, s); RETURNED.add(s); }
          public List<String> returned() { return RETURNED; }
        }
        """)
        .doTest();
  }

  @Test
  public void readOnlyUsesDoNotEscape() {
    helper
        .addSourceLines(
            "ReadOnly.java",
            """
        import java.util.ArrayList;
        import java.util.Collections;
        import java.util.List;
        class ReadOnly {
          // BUG: Diagnostic contains: 'LOG'
          private static final List<String> LOG = new ArrayList<>();
          void log(String s) { LOG.add(s); }
          List<String> view() { return Collections.unmodifiableList(LOG); }
          List<String> copy() { return new ArrayList<>(LOG); }
          int n() { for (String s : LOG) { System.out.println(s); } return LOG.size(); }
        }
        """)
        .doTest();
  }

  @Test
  public void requestScopedAndPrototypeBeansAndPlainClassesAreNotSingletons() {
    helper
        .addSourceLines(
            "Beans.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        import org.springframework.context.annotation.Scope;
        import org.springframework.stereotype.Component;
        import org.springframework.web.context.annotation.RequestScope;
        @Component @RequestScope
        class PerRequest {
          private final List<String> items = new ArrayList<>();
          void keep(String s) { items.add(s); }
        }
        @Component @Scope("prototype")
        class PerUse {
          private final List<String> items = new ArrayList<>();
          void keep(String s) { items.add(s); }
        }
        class Plain {
          private final List<String> items = new ArrayList<>();
          void keep(String s) { items.add(s); }
        }
        """)
        .doTest();
  }

  @Test
  public void localsRecordsAndVarAreNotFields() {
    helper
        .addSourceLines(
            "Locals.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        record Batch(List<String> items) {
          void keep(String s) { items.add(s); }
        }
        class Locals {
          static int count(List<String> in) {
            var out = new ArrayList<String>();
            for (String s : in) { out.add(s); }
            return out.size();
          }
        }
        """)
        .doTest();
  }

  @Test
  public void boundedCapacityQueue() {
    helper
        .addSourceLines(
            "Bounded.java",
            """
        import java.util.concurrent.ArrayBlockingQueue;
        import java.util.concurrent.LinkedBlockingQueue;
        class Bounded {
          private static final LinkedBlockingQueue<String> Q = new LinkedBlockingQueue<>(100);
          private static final ArrayBlockingQueue<String> A = new ArrayBlockingQueue<>(10);
          void send(String m) { Q.offer(m); A.offer(m); }
        }
        """)
        .doTest();
  }

  @Test
  public void suppressedOnTheField() {
    helper
        .addSourceLines(
            "Suppressed.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        class Suppressed {
          @SuppressWarnings("UnboundedStaticCollection")
          private static final List<String> LOG = new ArrayList<>();
          static final class Inner {
            @SuppressWarnings("UnboundedStaticCollection")
            private static final List<String> MORE = new ArrayList<>();
          }
          void keep(String s) { LOG.add(s); Inner.MORE.add(s); }
        }
        """)
        .doTest();
  }

  @Test
  public void boundedCollectionTypesFlag() {
    helper
        .setArgs(ImmutableList.of("-XepOpt:LeakProne:BoundedCollectionTypes=java.util.ArrayDeque"))
        .addSourceLines(
            "Ring.java",
            """
        import java.util.ArrayDeque;
        class Ring {
          private static final ArrayDeque<String> RING = new ArrayDeque<>();
          void keep(String s) { RING.add(s); }
        }
        """)
        .doTest();
  }

  @Test
  public void singletonAnnotationsFlag() {
    helper
        .setArgs(ImmutableList.of("-XepOpt:LeakProne:SingletonAnnotations=java.lang.Deprecated"))
        .addSourceLines(
            "Legacy.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        @Deprecated
        class Legacy {
          // BUG: Diagnostic contains: of singleton Legacy
          private final List<String> items = new ArrayList<>();
          void remember(String s) { items.add(s); }
        }
        """)
        .doTest();
  }

  @Test
  public void onlyReadAtRunTime() {
    helper
        .addSourceLines(
            "Lookup.java",
            """
        import java.util.HashMap;
        import java.util.Map;
        class Lookup {
          private static final Map<String, Integer> CODES = new HashMap<>();
          static { CODES.put("a", 1); }
          static int code(String s) { return CODES.getOrDefault(s, 0); }
        }
        """)
        .doTest();
  }

  @Test
  public void guardedLazyInitAndServletInitAreSetUp() {
    // Corpus false alarms (tomcat OpenSSLCipherConfigurationParser, CGIServlet): `if (!initialized)
    // init();` and Servlet.init() run once; methods named init/initialize… count as set-up code.
    helper
        .addSourceLines(
            "Ciphers.java",
            """
        import java.util.HashMap;
        import java.util.Map;
        class Ciphers {
          private static boolean initialized;
          private static final Map<String, String> ALIASES = new HashMap<>();
          private static void init() { ALIASES.put("a", "b"); initialized = true; }
          static String alias(String k) { if (!initialized) { init(); } return ALIASES.get(k); }
        }
        """)
        .doTest();
  }

  @Test
  public void propertySetterOfSingletonIsConfiguration() {
    // Corpus false alarm (tomcat CsrfPreventionFilter.setEntryPoints): the container calls bean
    // property setters while configuring the singleton.
    helper
        .addSourceLines(
            "Entry.java",
            """
        import java.util.HashSet;
        import java.util.Set;
        import org.springframework.stereotype.Component;
        @Component
        class Entry {
          private final Set<String> entryPoints = new HashSet<>();
          public void setEntryPoints(String csv) { for (String s : csv.split(",")) { entryPoints.add(s); } }
          boolean isEntryPoint(String p) { return entryPoints.contains(p); }
        }
        """)
        .doTest();
  }

  @Test
  public void setterAddingToStaticFieldOfPlainClassIsRuntime() {
    helper
        .addSourceLines(
            "Names.java",
            """
        import java.util.ArrayList;
        import java.util.List;
        class Names {
          // BUG: Diagnostic contains: setName()
          private static final List<String> ALL = new ArrayList<>();
          void setName(String n) { ALL.add(n); }
        }
        """)
        .doTest();
  }

  @Test
  public void packagePrivateHelperCalledOnlyFromSetUp() {
    // Corpus false alarm (tomcat OpenSSLCipherConfigurationParser.addListAlias): a package-private
    // helper whose every call in the class is from set-up code is set-up code too.
    helper
        .addSourceLines(
            "Aliases.java",
            """
        import java.util.HashMap;
        import java.util.Map;
        class Aliases {
          private static final Map<String, String> ALIASES = new HashMap<>();
          static { addAlias("a", "b"); }
          static void addAlias(String k, String v) { ALIASES.put(k, v); }
          static String get(String k) { return ALIASES.get(k); }
        }
        """)
        .doTest();
  }

  @Test
  public void registriesFilledFromParametersNeedStrictMode() {
    // Held-out false alarms (issue #12: pgjdbc ArrayAssistantRegistry.register, poi
    // ThreadLocalUtil.registerCleaner, pgjdbc GlobalHostStatusTracker, tomcat Digester): a static
    // map
    // or set filled from a method's parameters, or any collection filled by a register… method, is
    // as likely a registry of constants (filled by other files' static initializers) as a leak.
    // Without evidence of growth per call, only strict mode reports it.
    String source =
        """
        import java.util.ArrayList;
        import java.util.HashMap;
        import java.util.HashSet;
        import java.util.List;
        import java.util.Map;
        import java.util.Set;
        class Registry {
          // BUG: Diagnostic contains: register()
          private static final Map<String, Class<?>> TYPES = new HashMap<>();
          // BUG: Diagnostic contains: registerCleaner()
          private static final List<Runnable> CLEANERS = new ArrayList<>();
          // BUG: Diagnostic contains: reportStatus()
          private static final Map<String, Boolean> STATUS = new HashMap<>();
          // BUG: Diagnostic contains: addGenerated()
          private static final Set<String> GENERATED = new HashSet<>();
          public static void register(String k, Class<?> v) { TYPES.put(k, v); }
          public static void registerCleaner(Runnable r) { CLEANERS.add(r); }
          public static void reportStatus(String host, boolean up) { STATUS.put(host, up); }
          public void addGenerated(String className) { GENERATED.add(className); }
          static Class<?> type(String k) { return TYPES.get(k); }
        }
        """;
    helper
        .addSourceLines("Registry.java", source.replaceAll("// BUG: Diagnostic contains: .*", ""))
        .doTest();
    freshStrict().addSourceLines("Registry.java", source).doTest();
  }

  @Test
  public void instancesMadeOnlyInStaticInitializersFormARegistryOfConstants() {
    // Round 2 held-out (seen; thymeleaf ElementDefinitions.HTMLElementDefinitionSpec.ALL_SPECS):
    // each instance adds itself to a static list in its constructor, and the constructor can only
    // be called from this file, where every `new` initializes a static final constant.
    helper
        .addSourceLines(
            "Definitions.java",
            """
            import java.util.ArrayList;
            import java.util.List;
            class Definitions {
              static final Spec HTML = new Spec("html");
              static final Spec HEAD = new Spec("head");
              static final Spec BODY;
              static {
                BODY = new Spec("body");
              }
              private static final class Spec {
                private static final List<Spec> ALL = new ArrayList<>();
                final String name;
                Spec(String name) {
                  this.name = name;
                  ALL.add(this);
                }
              }
              static final class Tag {
                // BUG: Diagnostic contains: 'ALL_TAGS'
                private static final List<Tag> ALL_TAGS = new ArrayList<>();
                final String name;
                private Tag(String name) {
                  this.name = name;
                  ALL_TAGS.add(this);
                }
                static Tag of(String name) {
                  return new Tag(name); // an instance per call, at run time
                }
              }
            }
            """)
        .doTest();
  }

  @Test
  public void mapsKeyedByFileStoresCharsetsOrZonesAreFinite() {
    // Round 2 held-out (seen; jgit FS.FileStoreAttributes): one entry per mounted file system.
    helper
        .addSourceLines(
            "Stores.java",
            """
            import java.nio.charset.Charset;
            import java.nio.file.FileStore;
            import java.nio.file.Path;
            import java.time.ZoneId;
            import java.util.ArrayList;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            class Stores {
              private static final Map<FileStore, List<String>> BY_STORE = new HashMap<>();
              private static final Map<Charset, List<String>> BY_CHARSET = new HashMap<>();
              private static final Map<ZoneId, List<String>> BY_ZONE = new HashMap<>();
              // BUG: Diagnostic contains: 'BY_PATH'
              private static final Map<Path, List<String>> BY_PATH = new HashMap<>();
              static void note(FileStore s, Charset c, ZoneId z, Path p, String v) {
                BY_STORE.computeIfAbsent(s, k -> new ArrayList<>()).add(v);
                BY_CHARSET.computeIfAbsent(c, k -> new ArrayList<>()).add(v);
                BY_ZONE.computeIfAbsent(z, k -> new ArrayList<>()).add(v);
                BY_PATH.computeIfAbsent(p, k -> new ArrayList<>()).add(v);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void getOrCreateCachesNeedStrictModeUnlessKeyedByRequestData() {
    // Held-out false alarms (round 2: jgit FS caches by FileStore, thymeleaf date formats by
    // locale, sshd and activemq caches by scheme or dialect; round 1: jersey intervals): a
    // get-or-create cache filled from parameters is bounded by a finite key set in every case
    // seen, which one file does not show. Keys taken from a request are chosen by clients.
    String source =
        """
        import java.util.HashMap;
        import java.util.HashSet;
        import java.util.Map;
        import java.util.Set;
        class Caches {
          // BUG: Diagnostic contains: 'BY_LOCALE'
          private static final Map<String, String> BY_LOCALE = new HashMap<>();
          // BUG: Diagnostic contains: 'SEEN'
          private static final Set<String> SEEN = new HashSet<>();
          static String format(String locale) { return BY_LOCALE.computeIfAbsent(locale, String::trim); }
          static void once(String id, Runnable r) { if (SEEN.add(id)) { r.run(); } }
        }
        """;
    helper
        .addSourceLines("Caches.java", source.replaceAll("// BUG: Diagnostic contains: .*", ""))
        .doTest();
    freshStrict().addSourceLines("Caches.java", source).doTest();
    CompilationTestHelper.newInstance(UnboundedStaticCollection.class, getClass())
        .addSourceLines(
            "ByPath.java",
            """
            import jakarta.servlet.http.HttpServletRequest;
            import java.util.HashMap;
            import java.util.Map;
            class ByPath {
              // BUG: Diagnostic contains: 'BY_PATH'
              private static final Map<String, String> BY_PATH = new HashMap<>();
              static String normalized(HttpServletRequest request) {
                return BY_PATH.computeIfAbsent(request.getRequestURI(), String::trim);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void listsSearchedBeforeTheyGrowHoldNoDuplicates() {
    // Held-out false alarm (round 2, jsch): a list the method searches for an equal element before
    // adding holds each value once, like a set.
    helper
        .addSourceLines(
            "Hosts.java",
            """
            import java.util.ArrayList;
            import java.util.List;
            class Hosts {
              private static final List<String> KNOWN = new ArrayList<>();
              // BUG: Diagnostic contains: 'LOG'
              private static final List<String> LOG = new ArrayList<>();
              static void remember(String host) {
                for (String h : KNOWN) {
                  if (h.equals(host)) {
                    return;
                  }
                }
                KNOWN.add(host);
              }
              static void seen(String host) {
                if (!KNOWN.contains(host)) {
                  KNOWN.add(host);
                }
                LOG.add(host);
              }
            }
            """)
        .doTest();
  }

  @Test
  public void mapsKeyedByReflectiveMembersAreBoundedByTheProgram() {
    // Held-out false alarm (lucene VirtualMethod): a set of java.lang.reflect.Method, like a map
    // keyed by Class, is bounded by the loaded classes; reported only in strict mode. The growth
    // is in a singleton (evidence of growth per call), so only the key type keeps it quiet.
    String source =
        """
        import java.lang.reflect.Method;
        import java.util.HashMap;
        import java.util.Map;
        import org.springframework.web.bind.annotation.RestController;
        @RestController
        class Methods {
          // BUG: Diagnostic contains: keyed by Class (or a reflective member)
          private final Map<Method, String> names = new HashMap<>();
          // BUG: Diagnostic contains: 'byName'
          private final Map<String, String> byName = new HashMap<>();
          void seen(Method m) { names.put(m, m.getName()); byName.put(m.getName(), m.toString()); }
        }
        """;
    helper
        .addSourceLines(
            "Methods.java",
            source.replace(
                "// BUG: Diagnostic contains: keyed by Class (or a reflective member)", ""))
        .doTest();
    freshStrict().addSourceLines("Methods.java", source).doTest();
  }

  /**
   * Held-out round 3 false alarm (mysql-connector-j ExportControlled.ALLOWED_CIPHERS): a lambda
   * that a stream, an Iterable, a Map or an Optional runs before the call returns runs where the
   * call does, here in the static initializer, so the list is a registry filled once. The same
   * lambda in a method that runs per call still grows it, and a lambda handed to something that may
   * run it later (an executor) is run-time code.
   */
  @Test
  public void lambdasRunAtOnceInAStaticInitializerAreInitialization() {
    helper
        .addSourceLines(
            "Ciphers.java",
            """
            import java.util.ArrayList;
            import java.util.Arrays;
            import java.util.HashMap;
            import java.util.List;
            import java.util.Map;
            import java.util.Properties;
            import java.util.concurrent.Executor;
            class Ciphers {
              private static final List<String> ALLOWED = new ArrayList<>();
              private static final Map<String, String> ALIASES = new HashMap<>();
              // BUG: Diagnostic contains: 'SEEN'
              private static final List<String> SEEN = new ArrayList<>();
              // BUG: Diagnostic contains: 'LATER'
              private static final List<String> LATER = new ArrayList<>();
              static {
                Properties p = new Properties();
                Arrays.stream(p.getProperty("ciphers", "").split(",")).forEach(s -> {
                  ALLOWED.add("TLS_" + s.trim());
                });
                p.stringPropertyNames().forEach(n -> ALIASES.put(n, p.getProperty(n)));
              }
              static void seen(List<String> names) {
                names.forEach(n -> SEEN.add(n));
              }
              static void later(Executor executor) {
                executor.execute(() -> LATER.add(Thread.currentThread().getName()));
              }
              static boolean allowed(String c) { return ALLOWED.contains(c) || ALIASES.containsKey(c); }
            }
            """)
        .doTest();
  }

  /**
   * Held-out round 4 false alarms (quartz DBConnectionManager.addConnectionProvider, maven-resolver
   * DefaultRepositorySystemLifecycle.addOnSystemEndedHandler), and jgit CachedAuthenticator.add of
   * round 2: a singleton's {@code add…} method is a registration API, like {@code register…}; its
   * callers (configuration, components at start-up) decide how often it runs. What a request gives
   * is still reported, as is growth in a method of another name.
   */
  @Test
  public void addMethodsOfASingletonAreRegistrationApis() {
    helper
        .addSourceLines(
            "Providers.java",
            """
        import jakarta.servlet.http.HttpServletRequest;
        import java.util.ArrayList;
        import java.util.HashMap;
        import java.util.List;
        import java.util.Map;
        import javax.inject.Singleton;
        @Singleton
        class Providers {
          private final Map<String, Object> providers = new HashMap<>();
          private final List<Runnable> onEnded = new ArrayList<>();
          // BUG: Diagnostic contains: collection 'paths' of singleton Providers (@Singleton) only grows
          private final List<String> paths = new ArrayList<>();
          // BUG: Diagnostic contains: collection 'addresses' of singleton Providers (@Singleton) only
          private final List<String> addresses = new ArrayList<>();
          public void addConnectionProvider(String name, Object provider) {
            providers.put(name, provider);
          }
          public void addOnSystemEndedHandler(Runnable handler) {
            onEnded.add(handler);
          }
          public void addRequestPath(HttpServletRequest request) {
            paths.add(request.getRequestURI());
          }
          public String addressOf(String user, String address) {
            addresses.add(user + "=" + address);
            return address;
          }
          Object provider(String name) {
            return providers.get(name);
          }
          void ended() {
            onEnded.forEach(Runnable::run);
          }
        }
        """)
        .doTest();
  }
}
