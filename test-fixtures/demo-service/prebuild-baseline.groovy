/*
 * Pre-build hook of the second fixture run (execution demo-service-baseline in ../pom.xml); not
 * part of the demo service. Takes the baseline that the first run wrote (all of its findings),
 * leaves out one entry, and puts the rest where this run's pom reads it
 * (-XepOpt:LeakProne:Baseline=leakprone-baseline.txt). The left-out entry goes to
 * left-out-of-baseline.txt (not under target/, which the build cleans) for verify.groovy: the only finding this run may report.
 */
File projectDir = basedir instanceof File ? basedir : new File(basedir.toString())
File written = new File(firstRunDir.toString(), 'leakprone-baseline.txt')
if (!written.isFile()) {
  throw new IllegalStateException("The first fixture run wrote no baseline at ${written}")
}
List<String> entries = written.readLines('UTF-8').findAll { it.trim() && !it.startsWith('#') }
if (entries.size() < 2) {
  throw new IllegalStateException("The first fixture run's baseline has ${entries.size()} entries; need 2 or more")
}
// The entry in the middle: not a corner case of sorting.
String leftOut = entries[entries.size().intdiv(2)]
new File(projectDir, 'leakprone-baseline.txt').text =
    written.readLines('UTF-8').findAll { it != leftOut }.join('\n') + '\n'
new File(projectDir, 'left-out-of-baseline.txt').text = leftOut + '\n'
return true
