package dev.leakprone.config;

import com.google.common.collect.ImmutableMap;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.VisitorState;
import com.sun.tools.javac.model.JavacElements;
import com.sun.tools.javac.processing.JavacProcessingEnvironment;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Log;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.jspecify.annotations.Nullable;

/**
 * Turns a malformed {@code -XepOpt:LeakProne:…} flag into one ordinary compiler error instead of a
 * compiler crash.
 *
 * <p>{@link LeakProneConfig#from} stays the parsing contract: it throws an {@link
 * IllegalArgumentException} naming the flag, the bad value and the accepted form. Thrown from a
 * check's constructor, that exception would escape into Error Prone's set-up and javac would print
 * "An exception has occurred in the compiler" with a stack trace. A check therefore parses through
 * {@link #parse}, which keeps the exception's message, and asks {@link #disabled} first in each
 * match method: the first LeakProne check to get there reports the message once per compilation
 * through javac's {@link Messager} as an error (which fails the compilation), and every check with
 * a bad configuration then matches nothing. The same call reports, once per compilation, a note for
 * types named in flags that are not on the classpath.
 *
 * <pre>{@code
 * private final FlagErrors flagErrors;
 *
 * @Inject
 * public MyCheck(ErrorProneFlags flags) {
 *   flagErrors = FlagErrors.parse(flags);
 *   spec = new MySpec(flagErrors.config());
 * }
 *
 * public Description matchMethod(MethodTree tree, VisitorState state) {
 *   if (flagErrors.disabled(state)) {
 *     return Description.NO_MATCH;
 *   }
 *   …
 * }
 * }</pre>
 *
 * {@link dev.leakprone.common.ObligationChecker} does this for every check built on it.
 */
public final class FlagErrors {

  /**
   * The check whose page documents each flag, named in its errors. Flags used by several checks are
   * not listed: their errors name no check.
   */
  private static final ImmutableMap<String, String> OWNERS =
      ImmutableMap.of(
          LeakProneConfig.RESOURCE_FACTORIES, "UnclosedResource",
          LeakProneConfig.EXEMPT_TYPES, "UnclosedResource",
          LeakProneConfig.SCOPE_TYPES, "NeverCancelledScope",
          LeakProneConfig.SPAWNING_METHODS, "RequestCapturedByAsyncTask",
          LeakProneConfig.UNBOUNDED_COLLECTIONS_STRICT, "UnboundedStaticCollection",
          LeakProneConfig.BOUNDED_COLLECTION_TYPES, "UnboundedStaticCollection",
          LeakProneConfig.THREAD_LOCAL_SETTERS, "ThreadLocalNotRemoved",
          LeakProneConfig.THREAD_LOCAL_CLEANUP_PAIRS, "ThreadLocalNotRemoved");

  /** What was already reported in one compilation, shared by every LeakProne check in it. */
  private static final Context.Key<Set<String>> REPORTED = new Context.Key<>();

  private final LeakProneConfig config;

  /** The compilation whose error or note this instance has already seen to. */
  private transient @Nullable Context checkedFor;

  private final @Nullable String error;

  private FlagErrors(LeakProneConfig config, @Nullable String error) {
    this.config = config;
    this.error = error;
  }

  /** Parses the flags; never throws. A malformed flag leaves the empty configuration. */
  public static FlagErrors parse(ErrorProneFlags flags) {
    try {
      return new FlagErrors(LeakProneConfig.from(flags), null);
    } catch (IllegalArgumentException e) {
      return new FlagErrors(LeakProneConfig.empty(), errorMessage(e));
    }
  }

  /** The parsed flags, or the empty configuration when a flag is malformed. */
  public LeakProneConfig config() {
    return config;
  }

  /** The error this check reports, or null when its flags are well-formed. */
  public @Nullable String error() {
    return error;
  }

  /**
   * Whether the check must match nothing because a flag is malformed. The first call of a
   * compilation reports the error (or the note on unknown types); later calls only answer.
   */
  public boolean disabled(VisitorState state) {
    // Matchers of every method call ask: answer from the instance once this compilation is done.
    if (state.context.equals(checkedFor)) {
      return error != null;
    }
    checkedFor = state.context;
    try {
      Set<String> reported = reported(state.context);
      if (error != null) {
        if (reported.add(error)) {
          print(state.context, Diagnostic.Kind.ERROR, error);
        }
        return true;
      }
      if (reported.add("types")) {
        String note = unknownTypesNote(state);
        if (note != null) {
          print(state.context, Diagnostic.Kind.NOTE, note);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // Reporting must never break the compilation; a check with a bad flag still matches nothing.
    }
    return error != null;
  }

  /**
   * The flag's message, after the check that documents the flag: {@code [NeverCancelledScope] …}.
   */
  static String errorMessage(IllegalArgumentException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    String owner = null;
    for (Map.Entry<String, String> o : OWNERS.entrySet()) {
      String flag = "-XepOpt:" + o.getKey();
      if (message.contains(flag + ":")
          || message.contains(flag + " ")
          || message.contains(flag + "=")) {
        owner = o.getValue();
        break;
      }
    }
    return "[" + (owner == null ? "LeakProne" : owner) + "] " + message;
  }

  private @Nullable String unknownTypesNote(VisitorState state) {
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, String> named : config.namedTypes()) {
      if (!onClasspath(named.getValue(), state)) {
        unknown.add("-XepOpt:" + named.getKey() + " names " + named.getValue());
      }
    }
    if (unknown.isEmpty()) {
      return null;
    }
    return "[LeakProne] not on the classpath of this compilation, so these flag entries have no"
        + " effect here (check the spelling): "
        + String.join("; ", unknown);
  }

  /** Whether the type, top-level or nested ({@code com.acme.Outer.Inner}), can be found. */
  private static boolean onClasspath(String canonicalName, VisitorState state) {
    return JavacElements.instance(state.context).getTypeElement(canonicalName) != null
        || state.getTypeFromString(canonicalName) != null;
  }

  private static Set<String> reported(Context context) {
    Set<String> reported = context.get(REPORTED);
    if (reported == null) {
      reported = new HashSet<>();
      context.put(REPORTED, reported);
    }
    return reported;
  }

  /**
   * Prints through javac's {@link Messager}, which counts an error as a failed compilation, with no
   * source file: the flag belongs to the compilation, not to the file being analysed.
   */
  private static void print(Context context, Diagnostic.Kind kind, String message) {
    Messager messager = JavacProcessingEnvironment.instance(context).getMessager();
    Log log = Log.instance(context);
    JavaFileObject previous = log.useSource(null);
    try {
      messager.printMessage(kind, message);
    } finally {
      log.useSource(previous);
    }
  }
}
