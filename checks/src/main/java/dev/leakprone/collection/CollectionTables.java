package dev.leakprone.collection;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;

/**
 * What UnboundedStaticCollection knows about collection types and methods, as data: which
 * constructions make an unbounded (or weak-keyed) mutable collection, which calls grow or shrink
 * one, and which return a view of it. Names are strings so the plugin loads without Guava.
 */
final class CollectionTables {
  private CollectionTables() {}

  /** How a construction bounds what it builds. */
  enum Kind {
    /** Grows with every distinct key or element, nothing evicts. */
    UNBOUNDED,
    /** Weak keys: entries go when their key is collected, but values are held strongly. */
    WEAK
  }

  /** Classes whose {@code new X<>(…)} (exactly this class, no subclass) is unbounded. */
  static final ImmutableSet<String> UNBOUNDED_CLASSES =
      ImmutableSet.of(
          "java.util.HashMap",
          "java.util.LinkedHashMap",
          "java.util.TreeMap",
          "java.util.Hashtable",
          "java.util.IdentityHashMap",
          "java.util.ArrayList",
          "java.util.LinkedList",
          "java.util.ArrayDeque",
          "java.util.HashSet",
          "java.util.LinkedHashSet",
          "java.util.TreeSet",
          "java.util.PriorityQueue",
          "java.util.Vector",
          "java.util.Stack",
          "java.util.concurrent.ConcurrentHashMap",
          "java.util.concurrent.ConcurrentSkipListMap",
          "java.util.concurrent.ConcurrentSkipListSet",
          "java.util.concurrent.CopyOnWriteArrayList",
          "java.util.concurrent.CopyOnWriteArraySet",
          "java.util.concurrent.ConcurrentLinkedQueue",
          "java.util.concurrent.ConcurrentLinkedDeque",
          "java.util.concurrent.PriorityBlockingQueue",
          "java.util.concurrent.LinkedTransferQueue");

  /** Blocking queues that are unbounded unless given an {@code int} capacity. */
  static final ImmutableSet<String> CAPACITY_CLASSES =
      ImmutableSet.of(
          "java.util.concurrent.LinkedBlockingQueue", "java.util.concurrent.LinkedBlockingDeque");

  static final String WEAK_HASH_MAP = "java.util.WeakHashMap";

  /** Static factories ({@code owner#name}) that return a new unbounded mutable collection. */
  static final ImmutableSet<String> UNBOUNDED_FACTORIES =
      ImmutableSet.of(
          "java.util.concurrent.ConcurrentHashMap#newKeySet",
          "com.google.common.collect.Maps#newHashMap",
          "com.google.common.collect.Maps#newHashMapWithExpectedSize",
          "com.google.common.collect.Maps#newLinkedHashMap",
          "com.google.common.collect.Maps#newLinkedHashMapWithExpectedSize",
          "com.google.common.collect.Maps#newTreeMap",
          "com.google.common.collect.Maps#newConcurrentMap",
          "com.google.common.collect.Maps#newIdentityHashMap",
          "com.google.common.collect.Lists#newArrayList",
          "com.google.common.collect.Lists#newArrayListWithCapacity",
          "com.google.common.collect.Lists#newArrayListWithExpectedSize",
          "com.google.common.collect.Lists#newLinkedList",
          "com.google.common.collect.Lists#newCopyOnWriteArrayList",
          "com.google.common.collect.Sets#newHashSet",
          "com.google.common.collect.Sets#newHashSetWithExpectedSize",
          "com.google.common.collect.Sets#newLinkedHashSet",
          "com.google.common.collect.Sets#newLinkedHashSetWithExpectedSize",
          "com.google.common.collect.Sets#newTreeSet",
          "com.google.common.collect.Sets#newConcurrentHashSet",
          "com.google.common.collect.Sets#newCopyOnWriteArraySet",
          "com.google.common.collect.Sets#newIdentityHashSet",
          "com.google.common.collect.Queues#newArrayDeque",
          "com.google.common.collect.Queues#newConcurrentLinkedQueue",
          "com.google.common.collect.Queues#newPriorityQueue",
          "com.google.common.collect.Queues#newPriorityBlockingQueue",
          "com.google.common.collect.HashMultimap#create",
          "com.google.common.collect.ArrayListMultimap#create",
          "com.google.common.collect.LinkedListMultimap#create",
          "com.google.common.collect.LinkedHashMultimap#create",
          "com.google.common.collect.TreeMultimap#create",
          "com.google.common.collect.HashMultiset#create",
          "com.google.common.collect.LinkedHashMultiset#create",
          "com.google.common.collect.TreeMultiset#create",
          "com.google.common.collect.ConcurrentHashMultiset#create",
          "com.google.common.collect.HashBiMap#create");

  /** Factories unbounded when called without arguments (else they take a capacity). */
  static final ImmutableSet<String> NO_ARG_UNBOUNDED_FACTORIES =
      ImmutableSet.of(
          "com.google.common.collect.Queues#newLinkedBlockingQueue",
          "com.google.common.collect.Queues#newLinkedBlockingDeque");

  /** Wrappers ({@code owner#name}) as bounded as their first argument. */
  static final ImmutableSet<String> WRAPPERS =
      ImmutableSet.of(
          "java.util.Collections#synchronizedMap",
          "java.util.Collections#synchronizedSortedMap",
          "java.util.Collections#synchronizedNavigableMap",
          "java.util.Collections#synchronizedList",
          "java.util.Collections#synchronizedSet",
          "java.util.Collections#synchronizedSortedSet",
          "java.util.Collections#synchronizedNavigableSet",
          "java.util.Collections#synchronizedCollection",
          "java.util.Collections#newSetFromMap",
          "com.google.common.collect.Multimaps#synchronizedMultimap",
          "com.google.common.collect.Multimaps#synchronizedListMultimap",
          "com.google.common.collect.Multimaps#synchronizedSetMultimap",
          "com.google.common.collect.Sets#newSetFromMap");

  /** Guava's {@code new MapMaker()…makeMap()}: unbounded, weak-keyed with {@code weakKeys()}. */
  static final String MAP_MAKER = "com.google.common.collect.MapMaker";

  /** The types whose fields are considered: collections, maps and Guava's multimaps. */
  static final ImmutableSet<String> CONTAINER_TYPES =
      ImmutableSet.of(
          "java.util.Collection",
          "java.util.Map",
          "com.google.common.collect.Multimap",
          "com.google.common.collect.Multiset");

  /** Calls that add an element or entry. */
  static final ImmutableSet<String> GROW =
      ImmutableSet.of(
          "put",
          "putAll",
          "putIfAbsent",
          "computeIfAbsent",
          "compute",
          "merge",
          "add",
          "addAll",
          "addElement",
          "offer",
          "push",
          "addFirst",
          "addLast",
          "offerFirst",
          "offerLast",
          "forcePut",
          "replaceValues");

  /** Calls that remove (or may remove) elements or entries. */
  static final ImmutableSet<String> SHRINK =
      ImmutableSet.of(
          "remove",
          "removeIf",
          "removeAll",
          "retainAll",
          "clear",
          "poll",
          "pollFirst",
          "pollLast",
          "pollFirstEntry",
          "pollLastEntry",
          "pop",
          "take",
          "takeFirst",
          "takeLast",
          "drainTo",
          "removeFirst",
          "removeLast",
          "removeFirstOccurrence",
          "removeLastOccurrence",
          "removeElement",
          "removeElementAt",
          "removeAllElements",
          "removeRange",
          "computeIfPresent",
          "setCount",
          "truncate");

  /**
   * Key types bounded by the program rather than by its input: classes and their reflective
   * members. A map keyed by them is reported only in strict mode (see the check's page).
   */
  static final ImmutableSet<String> PROGRAM_KEYS =
      ImmutableSet.of(
          "java.lang.Class",
          "java.lang.reflect.Method",
          "java.lang.reflect.Field",
          "java.lang.reflect.Constructor",
          "java.lang.reflect.Executable",
          "java.lang.reflect.Member",
          "java.lang.reflect.AccessibleObject",
          "java.lang.reflect.Parameter",
          "java.lang.reflect.Type");

  /** Calls that search a collection for an element (a list kept free of duplicates). */
  static final ImmutableSet<String> SEARCHES =
      ImmutableSet.of("contains", "indexOf", "lastIndexOf");

  /** Collections that keep every element added, duplicates included. */
  static final ImmutableSet<String> DUPLICATE_KEEPING_TYPES =
      ImmutableSet.of(
          "java.util.List", "java.util.Queue", "com.google.common.collect.ListMultimap");

  /** Grow calls whose function may return null, which removes the entry. */
  static final ImmutableSet<String> MAY_REMOVE_ON_NULL = ImmutableSet.of("compute", "merge");

  /** Calls returning a view through which the collection can be shrunk. */
  static final ImmutableSet<String> VIEWS =
      ImmutableSet.of(
          "keySet",
          "values",
          "entrySet",
          "navigableKeySet",
          "descendingKeySet",
          "descendingMap",
          "headMap",
          "tailMap",
          "subMap",
          "headSet",
          "tailSet",
          "subSet",
          "descendingSet",
          "subList",
          "asMap",
          "keys",
          "elementSet",
          "inverse",
          "entries");

  /** Calls returning an iterator, which can remove. Counted as shrinking. */
  static final ImmutableSet<String> ITERATORS =
      ImmutableSet.of("iterator", "listIterator", "descendingIterator");

  /** Growth methods of a map whose second argument becomes a value held in it. */
  static final ImmutableSet<String> PUTS_VALUE = ImmutableSet.of("put", "putIfAbsent");

  /** Calls returning a value held in the collection ({@code get(k).add(v)} grows it). */
  static final ImmutableSet<String> ELEMENT_GETTERS =
      ImmutableSet.of(
          "get",
          "getOrDefault",
          "computeIfAbsent",
          "peek",
          "peekFirst",
          "peekLast",
          "element",
          "getFirst",
          "getLast",
          "firstEntry",
          "lastEntry");

  /**
   * Calls that take the collection as an argument and only read it (copies, read-only views, {@code
   * other.addAll(c)}): passing the field to them does not let it escape.
   */
  static final ImmutableSet<String> READ_ONLY_TAKERS =
      ImmutableSet.of(
          "java.util.Collections#unmodifiableMap",
          "java.util.Collections#unmodifiableSortedMap",
          "java.util.Collections#unmodifiableNavigableMap",
          "java.util.Collections#unmodifiableList",
          "java.util.Collections#unmodifiableSet",
          "java.util.Collections#unmodifiableSortedSet",
          "java.util.Collections#unmodifiableNavigableSet",
          "java.util.Collections#unmodifiableCollection",
          "java.util.List#copyOf",
          "java.util.Set#copyOf",
          "java.util.Map#copyOf",
          "java.lang.String#valueOf",
          "java.util.Objects#equals",
          "java.util.Objects#hash",
          "java.util.Objects#hashCode",
          "java.util.Objects#toString",
          "java.util.Objects#requireNonNull");

  /** Method names on any receiver that only read their collection argument. */
  static final ImmutableSet<String> READ_ONLY_TAKER_NAMES =
      ImmutableSet.of(
          "addAll",
          "putAll",
          "containsAll",
          "equals",
          "copyOf",
          "append",
          "println",
          "debug",
          "info",
          "trace",
          "warn",
          "error",
          "format");

  /**
   * Key types (erasures) of a finite key space for other reasons than being an enum: two values;
   * the file systems mounted on the machine; the charsets and time zones the JDK knows (unknown
   * names are rejected or mapped to a known one). Not {@code Locale}: any language tag makes a new
   * one.
   */
  static final ImmutableSet<String> FINITE_KEYS =
      ImmutableSet.of(
          "java.lang.Boolean",
          "java.nio.file.FileStore",
          "java.nio.charset.Charset",
          "java.time.ZoneId",
          "java.util.TimeZone");

  /** Methods of a Spring/JSR-250 lifecycle that run once, like a constructor. */
  static final ImmutableMap<String, String> INIT_ANNOTATIONS =
      ImmutableMap.of(
          "javax.annotation.PostConstruct", "@PostConstruct",
          "jakarta.annotation.PostConstruct", "@PostConstruct");

  static final ImmutableSet<String> INIT_METHOD_NAMES = ImmutableSet.of("afterPropertiesSet");
}
