package dev.leakprone.common;

import com.google.common.base.Splitter;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableListMultimap;
import com.google.errorprone.VisitorState;
import com.google.errorprone.matchers.Matcher;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.google.errorprone.util.ASTHelpers;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Symbol.MethodSymbol;
import com.sun.tools.javac.code.Type;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A table of methods, each named {@code owner#name} (any overload; {@code owner} may be a supertype
 * of the class that declares or inherits it) and mapped to a value.
 *
 * <p>Lookup is indexed by simple name, so an invocation whose name is in no entry costs one hash
 * lookup. Owners are resolved by name once per compilation; a library missing from the classpath
 * never matches. {@link #asMatcher()} adapts the table to Error Prone's {@link Matcher} API.
 */
public final class MethodTable<V> {

  private record Entry<V>(String owner, String name, Supplier<@Nullable Type> type, V value) {}

  private final ImmutableListMultimap<String, Entry<V>> byName;

  private MethodTable(ImmutableListMultimap<String, Entry<V>> byName) {
    this.byName = byName;
  }

  public static <V> Builder<V> builder() {
    return new Builder<>();
  }

  /** Builds the table. */
  public static final class Builder<V> {
    private final ImmutableListMultimap.Builder<String, Entry<V>> entries =
        ImmutableListMultimap.builder();

    /** Adds {@code owner#name|name2|…} mapped to {@code value}. */
    public Builder<V> put(String spec, V value) {
      int hash = spec.indexOf('#');
      if (hash <= 0) {
        throw new IllegalArgumentException("expected owner#name: " + spec);
      }
      String owner = spec.substring(0, hash);
      Supplier<@Nullable Type> type = Suppliers.typeFromString(owner);
      for (String name : Splitter.on('|').omitEmptyStrings().split(spec.substring(hash + 1))) {
        entries.put(name, new Entry<>(owner, name, type, value));
      }
      return this;
    }

    /** Adds every {@code owner#name|…} spec, all mapped to {@code value}. */
    public Builder<V> putAll(List<String> specs, V value) {
      specs.forEach(s -> put(s, value));
      return this;
    }

    public MethodTable<V> build() {
      return new MethodTable<>(entries.build());
    }
  }

  /** The value of the first entry matching the invoked method, or null. */
  public @Nullable V lookup(ExpressionTree tree, VisitorState state) {
    if (!(tree instanceof MethodInvocationTree) && !(tree instanceof NewClassTree)) {
      return null;
    }
    Symbol sym = ASTHelpers.getSymbol(tree);
    if (!(sym instanceof MethodSymbol method)) {
      return null;
    }
    return lookup(method, state);
  }

  /** The value of the first entry matching {@code method}, or null. */
  public @Nullable V lookup(MethodSymbol method, VisitorState state) {
    ImmutableList<Entry<V>> candidates = byName.get(method.getSimpleName().toString());
    if (candidates.isEmpty()) {
      return null;
    }
    Type owner = state.getTypes().erasure(method.owner.type);
    for (Entry<V> e : candidates) {
      Type t = e.type().get(state);
      if (t != null && state.getTypes().isSubtype(owner, state.getTypes().erasure(t))) {
        return e.value();
      }
    }
    // An inherited method invoked through a subtype declared in the table (e.g. an interface
    // method of AutoCloseable invoked on a table type) is matched through the receiver instead.
    return null;
  }

  public boolean matches(ExpressionTree tree, VisitorState state) {
    return lookup(tree, state) != null;
  }

  public Matcher<ExpressionTree> asMatcher() {
    return this::matches;
  }

  public boolean isEmpty() {
    return byName.isEmpty();
  }
}
