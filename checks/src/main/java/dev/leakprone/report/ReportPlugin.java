package dev.leakprone.report;

import com.google.auto.service.AutoService;
import com.google.common.base.Splitter;
import com.google.errorprone.ErrorProneFlags;
import com.google.errorprone.ErrorProneOptions;
import com.sun.source.util.JavacTask;
import com.sun.source.util.Plugin;
import com.sun.tools.javac.api.BasicJavacTask;
import com.sun.tools.javac.util.Context;
import com.sun.tools.javac.util.Options;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Starts the report of a compilation before its first finding, so that a compilation without
 * findings still writes its SARIF log (and baseline), and a missing or malformed baseline fails it
 * even when nothing would be reported.
 *
 * <p>javac starts this plugin by itself ({@link #autoStart()}) when the LeakProne jar is on the
 * processor path, next to {@code -Xplugin:ErrorProne}; it reads the {@code -XepOpt:LeakProne:}
 * flags from that argument and does nothing unless a reporting flag is set. Where Error Prone is
 * run another way (its test helpers, {@code ErrorProneJavaCompiler}), the report starts with the
 * first finding instead.
 */
@AutoService(Plugin.class)
public final class ReportPlugin implements Plugin {
  @Override
  public String getName() {
    return "LeakProneReport";
  }

  @Override
  public boolean autoStart() {
    return true;
  }

  @Override
  public void init(JavacTask task, String... args) {
    try {
      if (!(task instanceof BasicJavacTask basic)) {
        return;
      }
      Context context = basic.getContext();
      ErrorProneFlags flags = errorProneFlags(Options.instance(context).get("-Xplugin:"));
      if (flags != null) {
        Session.startEarly(context, flags);
      }
    } catch (RuntimeException | LinkageError e) {
      // Never break a build: the report then starts with the first finding.
    }
  }

  /** The flags of the {@code -Xplugin:ErrorProne ...} argument (javac joins several with NUL). */
  static @Nullable ErrorProneFlags errorProneFlags(@Nullable String plugins) {
    if (plugins == null) {
      return null;
    }
    for (String plugin : Splitter.on('\0').split(plugins)) {
      List<String> words = new ArrayList<>(Arrays.asList(plugin.trim().split("\\s+")));
      if (words.isEmpty() || !words.get(0).equals("ErrorProne")) {
        continue;
      }
      List<String> leakProne = new ArrayList<>();
      for (String word : words.subList(1, words.size())) {
        if (word.startsWith("-XepOpt:LeakProne:")) {
          leakProne.add(word);
        }
      }
      return leakProne.isEmpty() ? null : ErrorProneOptions.processArgs(leakProne).getFlags();
    }
    return null;
  }
}
