package dev.leakprone.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a SARIF 2.1.0 log: one run, the driver with one rule per LeakProne check, and every
 * finding of the compilation in a fixed order, with paths relative to the report root ({@code
 * %SRCROOT%}). No timestamps, no absolute paths: the same sources give the same bytes wherever they
 * are checked out.
 */
final class Sarif {
  static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  static final String ROOT_ID = "%SRCROOT%";

  private Sarif() {}

  /**
   * @param baselineName the baseline file's name as shown, null when no baseline is in use
   */
  static String write(
      Map<String, Rules.Rule> rules, List<Finding> findings, @Nullable String baselineName) {
    List<String> ruleIds = new ArrayList<>(rules.keySet());
    Json j = new Json();
    j.open(null, '{');
    j.value("$schema", SCHEMA);
    j.value("version", "2.1.0");
    j.open("runs", '[').open(null, '{');
    j.open("tool", '{').open("driver", '{');
    j.value("name", "LeakProne");
    j.value("version", Rules.version());
    j.value("informationUri", "https://github.com/leakprone/leakprone");
    j.open("rules", '[');
    for (Rules.Rule r : rules.values()) {
      j.open(null, '{');
      j.value("id", r.id());
      j.value("name", r.id());
      j.open("shortDescription", '{').value("text", r.summary()).close('}');
      j.open("fullDescription", '{')
          .value("text", r.summary() + (r.link().isEmpty() ? "" : ". See " + r.link()))
          .close('}');
      if (!r.link().isEmpty()) {
        j.value("helpUri", r.link());
      }
      j.open("defaultConfiguration", '{').value("level", Rules.level(r.severity())).close('}');
      if (!r.tags().isEmpty()) {
        j.open("properties", '{').open("tags", '[');
        for (String tag : r.tags()) {
          j.value(null, tag);
        }
        j.close(']').close('}');
      }
      j.close('}');
    }
    j.close(']');
    j.close('}').close('}');
    j.open("originalUriBaseIds", '{')
        .open(ROOT_ID, '{')
        .open("description", '{')
        .value(
            "text",
            "The root of the sources: -XepOpt:LeakProne:SarifRoot, or the nearest directory"
                + " above them with a pom.xml, settings.gradle(.kts) or .git")
        .close('}')
        .close('}')
        .close('}');
    j.value("columnKind", "utf16CodeUnits");
    j.open("results", '[');
    for (Finding f : findings) {
      j.open(null, '{');
      j.value("ruleId", f.check());
      int index = ruleIds.indexOf(f.check());
      if (index >= 0) {
        j.value("ruleIndex", index);
      }
      j.value("level", f.level());
      j.open("message", '{').value("text", f.message()).close('}');
      j.open("locations", '[').open(null, '{').open("physicalLocation", '{');
      j.open("artifactLocation", '{').value("uri", f.fileUri());
      if (f.file() != null && !f.fileUri().startsWith("file:")) {
        j.value("uriBaseId", ROOT_ID);
      }
      j.close('}');
      j.open("region", '{')
          .value("startLine", f.startLine())
          .value("startColumn", f.startColumn())
          .value("endLine", f.endLine())
          .value("endColumn", f.endColumn())
          .close('}');
      j.close('}').close('}').close(']');
      j.open("partialFingerprints", '{').value(Fingerprint.KEY, f.fingerprint()).close('}');
      if (baselineName != null) {
        j.value("baselineState", f.baselined() ? "unchanged" : "new");
        if (f.baselined()) {
          j.open("suppressions", '[')
              .open(null, '{')
              .value("kind", "external")
              .value("status", "accepted")
              .value("justification", "listed in the LeakProne baseline " + baselineName)
              .close('}')
              .close(']');
        }
      }
      j.close('}');
    }
    j.close(']');
    j.close('}').close(']');
    j.close('}');
    return j.toString();
  }
}
