package dev.leakprone.common;

import com.google.common.collect.ImmutableList;
import com.google.errorprone.VisitorState;
import com.google.errorprone.suppliers.Supplier;
import com.google.errorprone.suppliers.Suppliers;
import com.sun.tools.javac.code.Type;
import java.util.Collection;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A set of types named by fully qualified name, matched by subtyping.
 *
 * <p>Names are strings, not class literals, so the plugin loads without the libraries on the
 * processor path; a type the compilation does not know simply never matches. Each type is looked up
 * once per compilation through Error Prone's memoizing {@link Suppliers}.
 */
public final class TypeTable {
  private final ImmutableList<String> names;
  private final ImmutableList<Supplier<@Nullable Type>> types;

  private TypeTable(Collection<String> names) {
    this.names = ImmutableList.copyOf(names);
    this.types =
        this.names.stream().map(Suppliers::typeFromString).collect(ImmutableList.toImmutableList());
  }

  public static TypeTable of(String... names) {
    return new TypeTable(ImmutableList.copyOf(names));
  }

  public static TypeTable of(Collection<String> names) {
    return new TypeTable(names);
  }

  public TypeTable plus(Collection<String> more) {
    return new TypeTable(ImmutableList.<String>builder().addAll(names).addAll(more).build());
  }

  public boolean isEmpty() {
    return names.isEmpty();
  }

  /** Whether {@code type} is one of the types or a subtype of one. */
  public boolean contains(@Nullable Type type, VisitorState state) {
    return matching(type, state) != null;
  }

  /** The name of the first table type that {@code type} is a subtype of, or null. */
  public @Nullable String matching(@Nullable Type type, VisitorState state) {
    if (type == null
        || type.isPrimitive()
        || type.getKind() == javax.lang.model.type.TypeKind.NULL) {
      return null;
    }
    Type erased = state.getTypes().erasure(type);
    for (int i = 0; i < types.size(); i++) {
      Type t = types.get(i).get(state);
      if (t != null && state.getTypes().isSubtype(erased, state.getTypes().erasure(t))) {
        return names.get(i);
      }
    }
    return null;
  }

  /** Whether {@code type} is exactly one of the table's types (after erasure), not a subtype. */
  public boolean containsExactly(@Nullable Type type, VisitorState state) {
    if (type == null) {
      return false;
    }
    for (Supplier<@Nullable Type> s : types) {
      Type t = s.get(state);
      if (t != null
          && state
              .getTypes()
              .isSameType(state.getTypes().erasure(type), state.getTypes().erasure(t))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return names.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TypeTable other && other.names.equals(names);
  }

  @Override
  public int hashCode() {
    return Objects.hash(names);
  }
}
