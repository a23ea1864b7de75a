/*
 * Post-build hook of the maven-invoker-plugin (see ../pom.xml); not part of the demo service.
 *
 * Reads the diagnostics that the compiler printed into build.log and compares LeakProne's with the
 * `// expect: CheckName` markers in the sources: file, line and check name must match. Prints
 * every LeakProne diagnostic, then fails on any marker without its diagnostic, on any LeakProne
 * diagnostic without its marker, on a malformed marker, on a check of the plugin that the pom does
 * not enable, and when demo-service did not compile (a crash of a check shows up that way).
 *
 * Variables: basedir (this project, as copied to target/it), localRepositoryPath (from the
 * invoker), and leakproneVersion, errorproneVersion, fixtureSourceDir, repositoryRoot
 * (scriptVariables in ../pom.xml).
 */
import java.util.regex.Pattern
import java.util.zip.ZipFile

// The invoker sends a script's System.out into build.log; the report goes to the terminal instead.
// Never closed: that would close the process's standard output.
console = new PrintStream(new FileOutputStream(FileDescriptor.out), true, 'UTF-8')
void say(Object text = '') {
  console.println text
}

File projectDir = basedir instanceof File ? basedir : new File(basedir.toString())
File sourceCopy = new File(fixtureSourceDir.toString())
File root = new File(repositoryRoot.toString())

// Shown paths point into the real sources (not the copy), relative to the repository root.
String shown(String relativePath) {
  File original = new File(new File(fixtureSourceDir.toString()), relativePath)
  return new File(repositoryRoot.toString()).toPath().relativize(original.toPath()).toString()
}

String relativeTo(File dir, String path) {
  return dir.toPath().toAbsolutePath().normalize()
      .relativize(new File(path).toPath().toAbsolutePath().normalize()).toString()
      .replace(File.separatorChar, '/' as char)
}

// 1. LeakProne's checks: the BugCheckers that the plugin jar registers for Error Prone.
File jar = new File(localRepositoryPath.toString(),
    "dev/leakprone/leakprone-checks/${leakproneVersion}/leakprone-checks-${leakproneVersion}.jar")
Set<String> pluginChecks = new TreeSet<>()
if (jar.isFile()) {
  new ZipFile(jar).withCloseable { zip ->
    def entry = zip.getEntry('META-INF/services/com.google.errorprone.bugpatterns.BugChecker')
    if (entry != null) {
      zip.getInputStream(entry).getText('UTF-8').eachLine { line ->
        String className = line.replaceAll('#.*', '').trim()
        if (className) {
          pluginChecks << className.substring(className.lastIndexOf('.') + 1)
        }
      }
    }
  }
}

// 2. Expected diagnostics: `// expect: Check` (or `// expect: CheckA, CheckB`) ending a line.
def markerPattern = Pattern.compile('//\\s*expect:\\s*(\\w+(?:\\s*,\\s*\\w+)*)\\s*$')
Map<String, Integer> expected = new TreeMap<>()
List<String> malformed = []
new File(projectDir, 'src').eachFileRecurse { File file ->
  if (file.name.endsWith('.java')) {
    String path = relativeTo(projectDir, file.path)
    file.readLines('UTF-8').eachWithIndex { String text, int index ->
      def m = markerPattern.matcher(text)
      if (m.find()) {
        m.group(1).split(/\s*,\s*/).each { String check ->
          expected.merge("${path}:${index + 1} [${check}]".toString(), 1, Integer::sum)
        }
      } else if (text.contains('expect:')) {
        malformed << "${shown(path)}:${index + 1}: ${text.trim()}".toString()
      }
    }
  }
}
Set<String> expectedChecks = expected.keySet().collect { (it =~ /\[(\w+)\]$/)[0][1] } as Set

// 3. Reported diagnostics: maven-compiler-plugin logs `[WARNING] /abs/File.java:[line,col] [Check] message`,
//    continued on following lines (Error Prone adds `(see <link>)`).
def diagnosticPattern = Pattern.compile('^\\[(WARNING|ERROR)\\] (\\S.*?\\.java):\\[(\\d+),\\d+\\] (?:\\[(\\w+)\\] )?(.*)$')
List<Map> diagnostics = []
Map current = null
boolean buildFailed = false
List<String> crash = [] // the lines that say why, when the compiler or a check threw
for (String line : new File(projectDir, 'build.log').readLines('UTF-8')) {
  String bare = line.replaceFirst(/^\[ERROR\] ?/, '').trim()
  if (line.startsWith('[INFO] BUILD FAILURE')) {
    buildFailed = true // what follows repeats the errors: read only the reason
  } else if (buildFailed) {
    if (line.startsWith('[ERROR] Failed to execute goal')) {
      crash << bare.replaceFirst(/^.*? on project [^:]+: /, '')
    }
    continue
  }
  if (line.startsWith('An exception has occurred in the compiler') || bare.startsWith('Caused by: ')
      || line.contains('An unhandled exception was thrown by the Error Prone')
      || bare =~ /^[\w.$]+(Exception|Error)(: |$)/ || bare.startsWith('at dev.leakprone.')) {
    if (crash.size() < 12) {
      crash << bare
    }
  }
  def m = diagnosticPattern.matcher(line)
  if (m.matches()) {
    current = [level: m.group(1), file: m.group(2), line: m.group(3) as int, check: m.group(4),
               message: m.group(5), more: []]
    diagnostics << current
  } else if (line.startsWith('[')) {
    current = null
  } else if (current != null) {
    current.more << line.trim()
  }
}

boolean isLeakProne(Map d) {
  return d.check != null && (pluginChecks.contains(d.check) || expectedChecks.contains(d.check)
      || d.more.any { it.contains('/leakprone/') && it.contains('/docs/checks/') })
}
// Groovy scripts don't close over locals in methods: bind what isLeakProne reads.
binding.setVariable('pluginChecks', pluginChecks)
binding.setVariable('expectedChecks', expectedChecks)

Map<String, Integer> reported = new TreeMap<>()
List<String> report = []
List<String> others = []
diagnostics.each { Map d ->
  String path = relativeTo(projectDir, d.file)
  if (isLeakProne(d)) {
    reported.merge("${path}:${d.line} [${d.check}]".toString(), 1, Integer::sum)
    report << "${shown(path)}:${d.line} [${d.check}] ${d.message}".toString()
  } else {
    others << "${shown(path)}:${d.line} ${d.check ? '[' + d.check + '] ' : ''}${d.message}".toString()
  }
}

List<String> missing = []
List<String> unexpected = []
(expected.keySet() + reported.keySet()).each { String key ->
  int want = expected.getOrDefault(key, 0)
  int got = reported.getOrDefault(key, 0)
  String where = shown(key.substring(0, key.indexOf(':'))) + key.substring(key.indexOf(':'))
  if (got < want) {
    missing << (want - got > 1 ? "${where} x${want - got}" : where).toString()
  } else if (got > want) {
    unexpected << (got - want > 1 ? "${where} x${got - want}" : where).toString()
  }
}

// A LeakProne check that demo-service does not enable would go untested without a word.
String pom = new File(projectDir, 'pom.xml').getText('UTF-8')
List<String> notEnabled = pluginChecks.findAll { !pom.contains("-Xep:${it}") } as List

say ''
say "LeakProne diagnostics in ${relativeTo(root, sourceCopy.path)} (${report.size()}; Error Prone ${errorproneVersion}, JDK ${System.getProperty('java.version')}):"
report.each { say "  ${it}" }
if (report.isEmpty()) {
  say '  (none)'
}
if (!others.isEmpty()) {
  say "Other compiler warnings (${others.size()}, not compared):"
  others.each { say "  ${it}" }
}

// ==== SARIF report and baseline (issue #14) =====================================================
// The build writes target/leakprone-main.sarif (-XepOpt:LeakProne:SarifReport=...-{sourceSet}.sarif).
// Run "full" (execution demo-service): the log is valid against the SARIF 2.1.0 schema, has one
// rule per plugin check and exactly one result per `// expect:` marker, at relative paths; the
// baseline written has one entry per finding; the summary note is in the log.
// Run "baseline" (execution demo-service-baseline): the baseline is the full run's minus one entry
// (prebuild-baseline.groovy), so the build reports exactly that finding; the log still has every
// finding, all but that one marked as in the baseline.
String fixtureRun = binding.hasVariable('fixtureRun') ? binding.getVariable('fixtureRun').toString() : 'full'
List<String> sarifProblems = []
File sarifFile = new File(projectDir, 'target/leakprone-main.sarif')
List<String> buildLog = new File(projectDir, 'build.log').readLines('UTF-8')
if (!buildFailed) {
  if (!sarifFile.isFile()) {
    sarifProblems << "No SARIF log at target/leakprone-main.sarif"
  } else {
    String sarifText = sarifFile.getText('UTF-8')
    def sarif = new groovy.json.JsonSlurper().parseText(sarifText)
    // Schema validation with the validator and schema jars of ../pom.xml's test dependencies.
    if (binding.hasVariable('sarifValidatorClasspath') && sarifValidatorClasspath) {
      URL[] urls = sarifValidatorClasspath.toString().split(File.pathSeparator).collect { new File(it).toURI().toURL() } as URL[]
      def loader = new URLClassLoader(urls, (ClassLoader) null)
      def mapper = loader.loadClass('com.fasterxml.jackson.databind.ObjectMapper').getDeclaredConstructor().newInstance()
      def version = loader.loadClass('com.networknt.schema.SpecVersion$VersionFlag').getField('V7').get(null)
      def factory = loader.loadClass('com.networknt.schema.JsonSchemaFactory').getMethod('getInstance', version.getClass()).invoke(null, version)
      def schemaStream = loader.getResourceAsStream('schema/sarif-schema-2.1.0.json')
      if (schemaStream == null) {
        sarifProblems << "sarif-schema-2.1.0.json not found on ${sarifValidatorClasspath}"
      } else {
        def schema = factory.getSchema(mapper.readTree(schemaStream))
        def errors = schema.validate(mapper.readTree(sarifText))
        if (!errors.isEmpty()) {
          sarifProblems << "target/leakprone-main.sarif is not valid SARIF 2.1.0: ${errors}"
        }
      }
    } else {
      sarifProblems << "No sarifValidatorClasspath: the SARIF log was not validated"
    }
    def run = sarif.runs[0]
    Set<String> ruleIds = run.tool.driver.rules.collect { it.id } as Set
    if (ruleIds != pluginChecks) {
      sarifProblems << "SARIF rules ${new TreeSet(ruleIds)} are not the plugin's checks ${pluginChecks}"
    }
    Map<String, Integer> inLog = new TreeMap<>()
    Set<String> fingerprints = new HashSet<>()
    run.results.each { r ->
      String uri = r.locations[0].physicalLocation.artifactLocation.uri
      if (uri.startsWith('/') || uri.contains(':')) {
        sarifProblems << "SARIF location not relative: ${uri}"
      }
      inLog.merge("${uri}:${r.locations[0].physicalLocation.region.startLine} [${r.ruleId}]".toString(), 1, Integer::sum)
      String fp = r.partialFingerprints?.get('leakprone/v1')
      if (!(fp ==~ /[0-9a-f]{16}/) || !fingerprints.add(fp)) {
        sarifProblems << "SARIF result without a unique fingerprint: ${uri}:${r.locations[0].physicalLocation.region.startLine}"
      }
    }
    if (inLog != expected) {
      sarifProblems << "SARIF results ${inLog} are not the `// expect:` markers ${expected}"
    }
    if (sarifText.contains(projectDir.absolutePath)) {
      sarifProblems << "The SARIF log holds an absolute path"
    }
    int total = run.results.size()
    String summary = buildLog.find { it.contains("LeakProne: ${total} finding") }
    if (fixtureRun == 'baseline') {
      // This run is judged by the baseline, not by the markers.
      String leftOut = new File(projectDir, 'left-out-of-baseline.txt').getText('UTF-8').trim()
      String leftOutFp = leftOut.split(/\s+/)[0]
      def fresh = run.results.findAll { it.baselineState == 'new' }
      def old = run.results.findAll { it.baselineState == 'unchanged' && it.suppressions?.size() == 1 }
      if (fresh.size() != 1 || fresh[0].partialFingerprints['leakprone/v1'] != leftOutFp || old.size() != total - 1) {
        sarifProblems << "SARIF baselineState: want 1 new (${leftOutFp}) and ${total - 1} unchanged, got ${fresh.size()} new, ${old.size()} unchanged"
      }
      String want = fresh ? "${fresh[0].locations[0].physicalLocation.artifactLocation.uri}:${fresh[0].locations[0].physicalLocation.region.startLine} [${fresh[0].ruleId}]" : '?'
      if (reported.keySet() as List != [want] || reported.values().sum(0) != 1) {
        sarifProblems << "With a baseline of all but ${leftOut}, the build reported ${reported.keySet()} instead of exactly ${want}"
      }
      if (summary == null || !summary.contains(", ${total - 1} in the baseline")) {
        sarifProblems << "No summary note 'LeakProne: ${total} findings (...), ${total - 1} in the baseline' in build.log"
      }
      missing.clear()
      unexpected.clear()
      say "Baseline run: ${total} findings in the SARIF log, ${total - 1} in the baseline, reported: ${reported.keySet().join(', ')}"
    } else {
      File written = new File(projectDir, 'leakprone-baseline.txt')
      int entries = written.isFile() ? written.readLines('UTF-8').count { it.trim() && !it.startsWith('#') } : -1
      if (entries != total) {
        sarifProblems << "The baseline written has ${entries} entries for ${total} findings"
      }
      if (summary == null) {
        sarifProblems << "No summary note 'LeakProne: ${total} findings (...)' in build.log"
      }
      say "SARIF log: ${total} results, valid, one per marker; ${summary?.replaceFirst(/^\[\w+\] /, '')}"
    }
  }
}
// ==== end of SARIF report and baseline ===========================================================

List<String> problems = []
problems.addAll(sarifProblems) // from the SARIF section above
if (buildFailed) {
  // A crash or compile error: the comparison would only list every marker as missing.
  missing.clear()
  unexpected.clear()
  problems << "demo-service did not compile; its build.log follows." + (crash ? '\n    ' + crash.join('\n    ') : '')
}
if (!missing.isEmpty()) {
  problems << "Expected by a `// expect:` marker but not reported (${missing.size()}):\n    " + missing.join('\n    ')
}
if (!unexpected.isEmpty()) {
  problems << "Reported but not marked with `// expect:` (${unexpected.size()}):\n    " + unexpected.join('\n    ')
}
if (!malformed.isEmpty()) {
  problems << "Markers not of the form `// expect: CheckName[, CheckName]` at the end of the line (${malformed.size()}):\n    " + malformed.join('\n    ')
}
if (!notEnabled.isEmpty()) {
  problems << "Checks of the plugin that demo-service/pom.xml does not enable with -Xep:<Name>:WARN: ${notEnabled.join(', ')}"
}
if (!jar.isFile()) {
  problems << "Plugin jar not found at ${jar}"
}
int matched = expected.collect { key, want -> Math.min(want, reported.getOrDefault(key, 0)) }.sum(0) as int
int failed = sarifProblems.size() + missing.size() + unexpected.size() + malformed.size() + notEnabled.size() + (jar.isFile() ? 0 : 1) + (buildFailed ? 1 : 0)
problems.each { say "FAILED: ${it}" }
say "Fixtures: ${matched} passed, ${failed} failed"
say ''
// false fails this build (the invoker then prints build.log, which has the compiler's raw output).
return problems.isEmpty()
