package dev.leakprone.report;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.tools.javac.code.Symbol;
import com.sun.tools.javac.code.Type;
import com.sun.tools.javac.code.Types;
import com.sun.tools.javac.tree.JCTree;
import com.sun.tools.javac.util.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The stable fingerprint of a finding: a hash of the check's name, the enclosing class and member
 * (a method with its erased parameter types, a field, an initializer), the subject (the variable or
 * field the finding is about) and an occurrence index among findings with the same four parts in
 * the same file. Line numbers, columns and paths are not part of it, so inserting lines above a
 * finding, reformatting its method or moving the file leaves it unchanged; renaming the variable,
 * the method or its parameter types, or moving the finding to another member, changes it.
 */
final class Fingerprint {
  /** Fingerprint scheme; the key of SARIF's {@code partialFingerprints}. */
  static final String KEY = "leakprone/v1";

  private Fingerprint() {}

  /** Where a finding is: its class (binary name) and member, both stable across edits elsewhere. */
  record Site(String className, String member) {}

  /** 16 lower-case hex digits (64 bits of SHA-256 over the parts). */
  static String of(String check, Site site, @Nullable String subject, int occurrence) {
    String text =
        String.join(
            "\u0000",
            "v1",
            check,
            site.className(),
            site.member(),
            subject == null ? "" : subject,
            Integer.toString(occurrence));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(16);
      for (int i = 0; i < 8; i++) {
        hex.append(Character.forDigit((hash[i] >> 4) & 0xf, 16))
            .append(Character.forDigit(hash[i] & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /**
   * The innermost class and member around the leaf of {@code path}. Lambdas and anonymous classes
   * are looked through to the member that holds them; a named local or member class is a class of
   * its own.
   */
  static Site siteOf(TreePath path, Context context) {
    String member = null; // the innermost member not yet assigned to a named class
    for (TreePath p = path; p != null; p = p.getParentPath()) {
      Tree leaf = p.getLeaf();
      Tree parent = p.getParentPath() == null ? null : p.getParentPath().getLeaf();
      if (leaf instanceof ClassTree cls) {
        Symbol.ClassSymbol sym = ((JCTree.JCClassDecl) cls).sym;
        if (sym != null && !sym.isAnonymous()) {
          return new Site(sym.flatName().toString(), member == null ? "" : member);
        }
        // An anonymous class is named by its position among its siblings ($1, $2): use the member
        // that creates it instead, followed by the anonymous class's own member.
        continue;
      }
      if (!(parent instanceof ClassTree)) {
        continue;
      }
      String here = null;
      if (leaf instanceof MethodTree method) {
        here = signature(((JCTree.JCMethodDecl) method).sym, context);
      } else if (leaf instanceof VariableTree var) {
        here = var.getName().toString();
      } else if (leaf instanceof BlockTree block) {
        here = block.isStatic() ? "<clinit>" : "<init>{}";
      }
      if (here != null) {
        member = member == null ? here : here + ">" + member;
      }
    }
    return new Site("", member == null ? "" : member);
  }

  private static String signature(Symbol.@Nullable MethodSymbol sym, Context context) {
    if (sym == null) {
      return "?";
    }
    Types types = Types.instance(context);
    List<String> params = new ArrayList<>();
    for (Symbol.VarSymbol p : sym.getParameters()) {
      Type erased = types.erasure(p.type);
      params.add(erased.toString());
    }
    return sym.name + "(" + String.join(",", params) + ")";
  }
}
