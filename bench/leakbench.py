#!/usr/bin/env python3
"""LeakProne benchmarks on real code.

  corpus    compile each corpus library with Error Prone and every LeakProne check; report
            lines compiled, success, check crashes and diagnostics per check
  overhead  time the same compilations with Error Prone alone, with the LeakProne checks, and
            with plain javac; or (--scaling) time growing slices of one library

Run through the wrappers bench/corpus and bench/overhead; see bench/README.md.
Only the Python standard library is used (3.11+ for tomllib).
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import fnmatch
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = BENCH / ".cache"
M2 = CACHE / "m2"  # Maven local repository of the benchmarks: every download lands here
RESULTS = CACHE / "results"
DOCS = REPO / "docs" / "benchmarks.md"
LIBRARIES = BENCH / "libraries.toml"

ERROR_PRONE_VERSION = "2.52.0"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
PLUGIN_JAR_DIR = REPO / "checks" / "target"
PLUGIN_JAR_PREFIX = "leakprone-checks-"
DEFAULT_RELEASE = 17
MIN_JDK = 21  # Error Prone 2.43+ runs only on JDK 21+

# What Error Prone needs from jdk.compiler on JDK 16+ (its installation docs).
JDK_COMPILER_ACCESS = [
    *(
        f"--add-exports=jdk.compiler/com.sun.tools.javac.{p}=ALL-UNNAMED"
        for p in ("api", "file", "main", "model", "parser", "processing", "tree", "util")
    ),
    *(f"--add-opens=jdk.compiler/com.sun.tools.javac.{p}=ALL-UNNAMED" for p in ("code", "comp")),
]

# javac modes compared by the benchmarks.
PLAIN, EP_OFF, EP_LEAKPRONE = "plain", "ep-off", "ep-leakprone"
# With --defaults: Error Prone's own default checks, without (d) and with (e) LeakProne.
EP_DEFAULTS, EP_DEFAULTS_LEAKPRONE = "ep-defaults", "ep-defaults-lp"
# With corpus --apply-fixes: the LeakProne checks in patch mode (-XepPatchLocation:IN_PLACE).
EP_PATCH = "ep-patch"

CRASH_TEXT = "An unhandled exception was thrown by the Error Prone static analysis plugin."
JAVAC_CRASH_TEXTS = ("An exception has occurred in the compiler", "java.lang.OutOfMemoryError")
DIAGNOSTIC = re.compile(
    r"^(?:(?P<file>\S.*?\.java):(?P<line>\d+): )?(?P<kind>error|warning): "
    r"(?:\[(?P<tag>[\w.-]+)\] )?(?P<message>.*)$"
)
SUMMARY_LINE = re.compile(r"^\d+ (errors?|warnings?)$|^Note: ")


class BenchError(Exception):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# JDK and Maven


@dataclass
class Jdk:
    home: Path
    major: int
    version: str  # e.g. "Temurin-25.0.3+9"

    @property
    def javac(self) -> str:
        return str(self.home / "bin" / "javac")

    @property
    def java(self) -> str:
        return str(self.home / "bin" / "java")


def _read_jdk(home: Path) -> Jdk | None:
    if not (home / "bin" / "javac").exists():
        return None
    props = {}
    release = home / "release"
    if release.is_file():
        for line in release.read_text(errors="replace").splitlines():
            key, sep, value = line.partition("=")
            if sep:
                props[key.strip()] = value.strip().strip('"')
    version = props.get("JAVA_VERSION")
    if not version:
        out = subprocess.run(
            [str(home / "bin" / "javac"), "-version"], capture_output=True, text=True
        )
        version = (out.stdout + out.stderr).strip().split()[-1]
    parts = version.split(".")
    major = int(parts[1] if parts[0] == "1" else re.match(r"\d+", parts[0]).group())
    label = props.get("IMPLEMENTOR_VERSION") or props.get("JAVA_RUNTIME_VERSION") or version
    if props.get("JAVA_RUNTIME_VERSION") and props["JAVA_RUNTIME_VERSION"] not in label:
        label += f" ({props['JAVA_RUNTIME_VERSION']})"
    return Jdk(home, major, label)


def find_jdk() -> Jdk:
    """JAVA_HOME if it is a JDK 21+, else the newest JDK under /usr/lib/jvm."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        jdk = _read_jdk(Path(java_home))
        if jdk and jdk.major >= MIN_JDK:
            return jdk
    candidates = {}
    jvm_dir = Path("/usr/lib/jvm")
    if jvm_dir.is_dir():
        for home in jvm_dir.iterdir():
            jdk = _read_jdk(home.resolve())
            if jdk:
                candidates[jdk.home] = jdk
    if not candidates or max(j.major for j in candidates.values()) < MIN_JDK:
        raise BenchError(
            f"need a JDK {MIN_JDK}+ for Error Prone {ERROR_PRONE_VERSION}: set JAVA_HOME to one"
        )
    return max(candidates.values(), key=lambda j: (j.major, j.version))


def mvn(*args: str, cwd: Path | None = None) -> None:
    cmd = ["mvn", "-B", "-q", f"-Dmaven.repo.local={M2}", *args]
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise BenchError(
            f"Maven failed ({result.returncode}): {' '.join(cmd)}\n"
            + (result.stdout + result.stderr)[-6000:]
        )


def _coordinate(coordinate: str) -> tuple[str, str, str, str | None]:
    parts = coordinate.split(":")
    if len(parts) not in (3, 4):
        raise BenchError(f"bad coordinate {coordinate!r}: want groupId:artifactId:version[:classifier]")
    return parts[0], parts[1], parts[2], (parts[3] if len(parts) == 4 else None)


def repository_file(coordinate: str, extension: str = "jar", classifier: str | None = None) -> Path:
    group, artifact, version, own_classifier = _coordinate(coordinate)
    classifier = classifier or own_classifier
    name = f"{artifact}-{version}" + (f"-{classifier}" if classifier else "") + f".{extension}"
    return M2.joinpath(*group.split("."), artifact, version, name)


def fetch(coordinate: str, extension: str = "jar", classifier: str | None = None) -> Path:
    """One artifact, without its dependencies, from the cache or Maven Central."""
    path = repository_file(coordinate, extension, classifier)
    if not path.is_file():
        group, artifact, version, own_classifier = _coordinate(coordinate)
        spec = f"{group}:{artifact}:{version}:{extension}"
        if classifier or own_classifier:
            spec += f":{classifier or own_classifier}"
        log(f"  fetching {spec}")
        mvn(f"{DEPENDENCY_PLUGIN}:get", f"-Dartifact={spec}", "-Dtransitive=false")
    if not path.is_file():
        raise BenchError(f"Maven did not store {path}")
    return path


def build_classpath(project_dir: Path, scope: str) -> list[str]:
    """Dependencies of the pom in project_dir, as Maven resolves them for its own build."""
    out = project_dir / "classpath.txt"
    mvn(
        "-f",
        str(project_dir / "pom.xml"),
        f"{DEPENDENCY_PLUGIN}:build-classpath",
        f"-Dmdep.outputFile={out}",
        f"-DincludeScope={scope}",  # compile = compile + provided + system
    )
    text = out.read_text().strip()
    return text.split(os.pathsep) if text else []


def throwaway_pom(project_dir: Path, coordinates: list[str]) -> None:
    deps = []
    for coordinate in coordinates:
        group, artifact, version, classifier = _coordinate(coordinate)
        deps.append(
            f"<dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>"
            f"<version>{version}</version>"
            + (f"<classifier>{classifier}</classifier>" if classifier else "")
            + "</dependency>"
        )
    project_dir.mkdir(parents=True, exist_ok=True)
    (project_dir / "pom.xml").write_text(
        '<project xmlns="http://maven.apache.org/POM/4.0.0">\n'
        "  <modelVersion>4.0.0</modelVersion>\n"
        "  <groupId>leakprone.bench</groupId><artifactId>throwaway</artifactId>"
        "<version>0</version><packaging>pom</packaging>\n"
        "  <dependencies>\n    " + "\n    ".join(deps) + "\n  </dependencies>\n</project>\n"
    )


def _artifact_key(jar: str) -> str:
    """group/artifact[-classifier] of a jar in the local repository (to drop duplicates)."""
    path = Path(jar)
    try:
        rel = path.relative_to(M2)
    except ValueError:
        return jar
    artifact, version = rel.parts[-3], rel.parts[-2]
    suffix = path.stem[len(f"{artifact}-{version}") :]
    return "/".join(rel.parts[:-2]) + suffix


def _cached(state_file: Path, key: object) -> dict | None:
    if not state_file.is_file():
        return None
    state = json.loads(state_file.read_text())
    if state.get("key") != key:
        return None
    if not all(Path(p).is_file() for p in state.get("files", [])):
        return None
    return state


def resolve_error_prone() -> list[str]:
    project = CACHE / "resolve" / f"error_prone_core-{ERROR_PRONE_VERSION}"
    key = {"error_prone_core": ERROR_PRONE_VERSION, "plugin": DEPENDENCY_PLUGIN}
    state = _cached(project / "resolved.json", key)
    if state:
        return state["classpath"]
    log(f"resolving Error Prone {ERROR_PRONE_VERSION}")
    throwaway_pom(project, [f"com.google.errorprone:error_prone_core:{ERROR_PRONE_VERSION}"])
    classpath = build_classpath(project, "runtime")
    (project / "resolved.json").write_text(
        json.dumps({"key": key, "classpath": classpath, "files": classpath}, indent=1)
    )
    return classpath


# ---------------------------------------------------------------------------------------------
# The corpus


@dataclass
class Library:
    name: str
    artifact: str
    release: int = DEFAULT_RELEASE
    source: int | None = None  # -source/-target instead of --release (which forbids --add-exports)
    encoding: str = "UTF-8"
    javac_options: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    notes: str = ""
    # Part of the held-out half (see libraries.toml): compiled without LeakProne checks unless
    # --heldout is given, so that nobody tuning the checks reads its diagnostics.
    heldout: bool = False

    @property
    def version(self) -> str:
        return _coordinate(self.artifact)[2]


def load_libraries() -> list[Library]:
    with LIBRARIES.open("rb") as f:
        data = tomllib.load(f)
    libraries = [Library(**entry) for entry in data["library"]]
    names = [lib.name.lower() for lib in libraries]
    if len(set(names)) != len(names):
        raise BenchError(f"duplicate library names in {LIBRARIES}")
    return libraries


def choose_libraries(requested: list[str]) -> list[Library]:
    libraries = load_libraries()
    if not requested:
        return libraries
    by_name = {lib.name.lower(): lib for lib in libraries}
    unknown = [name for name in requested if name.lower() not in by_name]
    if unknown:
        raise BenchError(
            f"unknown libraries {unknown}; the corpus has: {', '.join(l.name for l in libraries)}"
        )
    return [by_name[name.lower()] for name in requested]


@dataclass
class Prepared:
    library: Library
    sources: list[Path]
    excluded: list[str]
    lines: int
    classpath: list[str]
    argfile: Path


def resolve_library(lib: Library) -> tuple[Path, list[str]]:
    """The sources jar and the compile class path of a library (cached)."""
    project = CACHE / "resolve" / lib.name
    key = {"artifact": lib.artifact, "extra": lib.extra, "plugin": DEPENDENCY_PLUGIN}
    state = _cached(project / "resolved.json", key)
    if state:
        return Path(state["sources"]), state["classpath"]
    log(f"resolving {lib.artifact}")
    sources = fetch(lib.artifact, "jar", "sources")
    own = project / "own"
    own.mkdir(parents=True, exist_ok=True)
    # The library's own pom as the project: Maven resolves exactly the dependencies its build
    # had, optional and provided ones included.
    shutil.copyfile(fetch(lib.artifact, "pom"), own / "pom.xml")
    classpath = build_classpath(own, "compile")
    if lib.extra:
        throwaway_pom(project / "extra", lib.extra)
        seen = {_artifact_key(jar) for jar in classpath}
        for jar in build_classpath(project / "extra", "compile"):
            if _artifact_key(jar) not in seen:
                seen.add(_artifact_key(jar))
                classpath.append(jar)
    (project / "resolved.json").write_text(
        json.dumps(
            {"key": key, "sources": str(sources), "classpath": classpath,
             "files": [str(sources), *classpath]},
            indent=1,
        )
    )
    return sources, classpath


def extract(jar: Path, target: Path) -> Path:
    marker = target / ".extracted-from"
    stamp = f"{jar} {jar.stat().st_size}"
    if marker.is_file() and marker.read_text() == stamp:
        return target
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with zipfile.ZipFile(jar) as archive:
        archive.extractall(target)
    marker.write_text(stamp)
    return target


def count_lines(path: Path) -> int:
    data = path.read_bytes()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def select_sources(root: Path, exclude: list[str]) -> tuple[list[Path], list[str]]:
    selected, excluded = [], []
    used = set()
    for path in sorted(root.rglob("*.java")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith("META-INF/") or path.name == "module-info.java":
            continue
        hits = [pattern for pattern in exclude if fnmatch.fnmatchcase(rel, pattern)]
        if hits:
            used.update(hits)
            excluded.append(rel)
        else:
            selected.append(path)
    for pattern in exclude:
        if pattern not in used:
            log(f"  warning: exclude pattern {pattern!r} matches no file")
    return selected, excluded


def write_argfile(path: Path, sources: list[Path]) -> None:
    def quote(p: Path) -> str:
        return '"' + str(p).replace("\\", "\\\\").replace('"', '\\"') + '"'

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(quote(p) for p in sources) + "\n")


def prepare(lib: Library) -> Prepared:
    sources_jar, classpath = resolve_library(lib)
    root = extract(sources_jar, CACHE / "src" / lib.name)
    sources, excluded = select_sources(root, lib.exclude)
    if not sources:
        raise BenchError(f"{lib.name}: no Java sources in {sources_jar}")
    argfile = CACHE / "work" / lib.name / "sources.txt"
    write_argfile(argfile, sources)
    lines = sum(count_lines(p) for p in sources)
    return Prepared(lib, sources, excluded, lines, classpath, argfile)


# ---------------------------------------------------------------------------------------------
# The plugin and the javac command


@dataclass
class Toolchain:
    jdk: Jdk
    error_prone: list[str]
    plugin_jar: Path | None  # as found, for reports
    plugin_copy: Path | None  # what javac loads
    checks: list[str]
    xmx: str
    # The checkout when the run started, when the jar was copied (with --build: what it was
    # built from); the tree may change while a long benchmark runs.
    git: str = ""

    def describe(self) -> dict:
        return {
            "jdk": self.jdk.version,
            "jdk_home": str(self.jdk.home),
            "error_prone": ERROR_PRONE_VERSION,
            "plugin_jar": _relative(self.plugin_jar) if self.plugin_jar else None,
            "plugin_sha256": (hashlib.sha256(self.plugin_copy.read_bytes()).hexdigest()[:12]
                              if self.plugin_copy else None),
            "checks": self.checks,
            "javac_heap": self.xmx,
            "git": self.git,
            "plugin_built": (time.strftime("%Y-%m-%d %H:%M",
                                           time.gmtime(self.plugin_copy.stat().st_mtime))
                             if self.plugin_copy else None),
        }


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(REPO))
    except ValueError:
        return str(path)


def git_revision() -> str:
    result = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    revision = result.stdout.strip() if result.returncode == 0 else "no commit"
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "checks"],
        capture_output=True, text=True,
    ).stdout.strip()
    return revision + (" + uncommitted changes in checks/" if dirty else "")


def find_plugin_jar(explicit: str | None) -> Path | None:
    if explicit:
        path = Path(explicit).resolve()
        if not path.is_file():
            raise BenchError(f"no plugin jar at {path}")
        return path
    jars = [
        p
        for p in PLUGIN_JAR_DIR.glob(f"{PLUGIN_JAR_PREFIX}*.jar")
        if not re.search(r"-(sources|javadoc|tests)\.jar$", p.name)
    ]
    return max(jars, key=lambda p: p.stat().st_mtime) if jars else None


def build_plugin(jdk: Jdk) -> None:
    log("building the plugin jar (mvn -B -q package -DskipTests -pl checks)")
    env = dict(os.environ, JAVA_HOME=str(jdk.home))
    result = subprocess.run(
        ["mvn", "-B", "-q", "package", "-DskipTests", "-pl", "checks"],
        cwd=REPO, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BenchError("plugin build failed:\n" + (result.stdout + result.stderr)[-6000:])


def list_checks(jdk: Jdk, error_prone: list[str], plugin_jar: Path) -> list[str]:
    """The check names in the plugin jar, read from its @BugPattern annotations."""
    result = subprocess.run(
        [jdk.java, *JDK_COMPILER_ACCESS, "-cp", os.pathsep.join(error_prone),
         str(BENCH / "ListChecks.java"), str(plugin_jar)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise BenchError(f"cannot list the checks in {plugin_jar}:\n{result.stderr[-4000:]}")
    for line in result.stderr.splitlines():
        log(f"  {line}")
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def toolchain(args: argparse.Namespace) -> Toolchain:
    jdk = find_jdk()
    if args.build:
        build_plugin(jdk)
    error_prone = resolve_error_prone()
    plugin_jar = find_plugin_jar(args.plugin_jar)
    snapshot = None
    if plugin_jar is None:
        log(f"warning: no plugin jar in {PLUGIN_JAR_DIR} (build it, or pass --build): "
            "running with no LeakProne checks")
        checks = []
    else:
        # A snapshot: others may rebuild checks/target while a long benchmark runs.
        snapshot = CACHE / "work" / "plugin" / plugin_jar.name
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(plugin_jar, snapshot)  # keeps the build time
        log(f"plugin jar: {plugin_jar} (built {time.ctime(plugin_jar.stat().st_mtime)})")
        checks = list_checks(jdk, error_prone, snapshot)
        if not checks:
            log(f"warning: {plugin_jar.name} has no @BugPattern checks: running with none")
    if args.checks:
        wanted = [c.strip() for c in args.checks.split(",") if c.strip()]
        unknown = [c for c in wanted if c not in checks]
        if unknown or not wanted:
            raise BenchError(f"--checks {args.checks!r}: expected a comma-separated list of "
                             f"checks in the plugin jar, which has: {', '.join(checks) or 'none'}")
        checks = [c for c in checks if c in wanted]
    log(f"JDK {jdk.version} ({jdk.home}); Error Prone {ERROR_PRONE_VERSION}; "
        f"LeakProne checks: {', '.join(checks) or 'none'}")
    return Toolchain(jdk, error_prone, plugin_jar, snapshot, checks, args.xmx, git_revision())


def javac_command(
    tc: Toolchain, lib: Library, classpath: list[str], argfile: Path, out_dir: Path, mode: str
) -> list[str]:
    empty = CACHE / "empty"
    empty.mkdir(parents=True, exist_ok=True)
    cmd = [tc.jdk.javac, f"-J-Xmx{tc.xmx}"]
    if mode != PLAIN:
        cmd += [f"-J{flag}" for flag in JDK_COMPILER_ACCESS]
        processor_path = list(tc.error_prone) + ([str(tc.plugin_copy)] if tc.plugin_copy else [])
        if mode in (EP_DEFAULTS, EP_DEFAULTS_LEAKPRONE):
            # Findings of the default checks must not stop the compilation being timed.
            level = "WARN" if mode == EP_DEFAULTS_LEAKPRONE else "OFF"
            plugin = ["-Xplugin:ErrorProne", "-XepAllErrorsAsWarnings",
                      *(f"-Xep:{check}:{level}" for check in tc.checks)]
        else:
            plugin = ["-Xplugin:ErrorProne", "-XepDisableAllChecks"]
            if mode in (EP_LEAKPRONE, EP_PATCH):
                plugin += [f"-Xep:{check}:WARN" for check in tc.checks]
            if mode == EP_PATCH and tc.checks:
                plugin += [f"-XepPatchChecks:{','.join(tc.checks)}", "-XepPatchLocation:IN_PLACE"]
        cmd += [
            "-XDcompilePolicy=simple",
            "--should-stop=ifError=FLOW",
            "-processorpath", os.pathsep.join(processor_path),
            " ".join(plugin),
        ]
    cmd += [
        "-proc:none",  # no annotation processors: only the compiler and the plugin run
        "-implicit:none",
        "-sourcepath", str(empty),  # compile exactly the listed files, nothing found on the class path
        "-cp", os.pathsep.join(classpath) if classpath else str(empty),
        *(["-source", str(lib.source), "-target", str(lib.source)] if lib.source
          else ["--release", str(lib.release)]),
        "-encoding", lib.encoding,
        *lib.javac_options,
        "-Xmaxwarns", "100000",
        "-Xmaxerrs", "100000",
        "-Xlint:-options",
        "-d", str(out_dir),
        f"@{argfile}",
    ]
    return cmd


@dataclass
class Run:
    returncode: int
    wall: float  # seconds
    cpu: float  # user + system seconds of javac
    peak_rss_mb: float
    log_path: Path


def run_measured(cmd: list[str], log_path: Path) -> Run:
    """Runs cmd, its output to log_path. Wall time, CPU time and peak RSS come from wait4(2),
    the same kernel accounting /usr/bin/time -v prints, so no extra tool is needed."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as out:
        start = time.monotonic()
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        process.returncode, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, log_path
    )


def compile_once(tc: Toolchain, prep: Prepared, mode: str, log_path: Path,
                 extra_classpath: list[str] = (), argfile: Path | None = None) -> Run:
    out_dir = CACHE / "work" / prep.library.name / f"classes-{mode}"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    cmd = javac_command(tc, prep.library, [*prep.classpath, *extra_classpath],
                        argfile or prep.argfile, out_dir, mode)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.with_suffix(".cmd").write_text(" ".join(cmd) + "\n")
    run = run_measured(cmd, log_path)
    shutil.rmtree(out_dir, ignore_errors=True)
    return run


# ---------------------------------------------------------------------------------------------
# Reading javac's output


@dataclass
class Diagnostic:
    kind: str
    tag: str | None
    file: str | None
    line: int | None
    message: str
    text: list[str]  # the whole diagnostic as printed (source line, caret, link, fix…)


@dataclass
class Crash:
    check: str
    file: str | None
    line: int | None
    exception: str
    text: list[str]


def parse_log(text: str) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for raw in text.splitlines():
        match = DIAGNOSTIC.match(raw)
        if match:
            diagnostics.append(Diagnostic(
                match["kind"], match["tag"], match["file"],
                int(match["line"]) if match["line"] else None, match["message"], [raw]))
        elif diagnostics and not SUMMARY_LINE.match(raw):
            diagnostics[-1].text.append(raw)
    return diagnostics


def find_crashes(text: str, diagnostics: list[Diagnostic]) -> list[Crash]:
    crashes = []
    for d in diagnostics:
        if d.kind == "error" and d.message.startswith(CRASH_TEXT):
            check, exception = "?", "?"
            body = d.text[1:]
            for i, line in enumerate(body):
                if line.strip().startswith("BugPattern:"):
                    check = line.split(":", 1)[1].strip()
                if line.strip() == "Stack Trace:" and i + 1 < len(body):
                    exception = body[i + 1].strip()
            crashes.append(Crash(check, d.file, d.line, exception, d.text))
    if any(marker in text for marker in JAVAC_CRASH_TEXTS):
        lines = text.splitlines()
        start = next(i for i, l in enumerate(lines) if any(m in l for m in JAVAC_CRASH_TEXTS))
        crashes.append(Crash("<javac>", None, None, lines[start].strip(), lines[start:start + 60]))
    return crashes


@dataclass
class Outcome:
    run: Run
    ok: bool
    crashes: list[Crash]
    by_check: dict[str, int]
    leakprone: list[Diagnostic]
    errors: list[Diagnostic]  # compile errors that are not check crashes
    other_warnings: int


def outcome(run: Run, checks: list[str]) -> Outcome:
    text = run.log_path.read_text(errors="replace")
    diagnostics = parse_log(text)
    crashes = find_crashes(text, diagnostics)
    names = set(checks)
    leakprone = [d for d in diagnostics if d.tag in names]
    by_check = {check: 0 for check in checks}
    for d in leakprone:
        by_check[d.tag] += 1
    errors = [d for d in diagnostics if d.kind == "error" and d.tag not in names
              and not d.message.startswith(CRASH_TEXT)]
    other = sum(1 for d in diagnostics if d.kind == "warning" and d.tag not in names)
    return Outcome(run, run.returncode == 0, crashes, by_check, leakprone, errors, other)


# ---------------------------------------------------------------------------------------------
# Reports


def markdown_table(header: list[str], rows: list[list[object]]) -> str:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    def fmt(row):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |"
    return "\n".join([fmt(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|",
                      *(fmt(r) for r in cells[1:])])


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(int(l.split()[1]) for l in Path("/proc/meminfo").read_text().splitlines()
                      if l.startswith("MemTotal"))
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        mem = "?"
    return f"{os.cpu_count()} CPUs ({cpu}), {mem} RAM"


def provenance(tc: Toolchain, command: str) -> str:
    d = tc.describe()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join([
        f"- Generated {now} by `{command}`",
        f"- JDK {d['jdk']}; Error Prone {ERROR_PRONE_VERSION}; javac heap -Xmx{tc.xmx}",
        f"- LeakProne: `{d['plugin_jar'] or 'no plugin jar'}` (sha256 {d['plugin_sha256']}) "
        f"built {d['plugin_built']} UTC; checkout at the start of the run: {d['git']}; checks: "
        + (", ".join(f"`{c}`" for c in tc.checks) or "none"),
        f"- Machine: {machine()}; load average (1/5/15 min) when written: "
        + "/".join(f"{x:.1f}" for x in os.getloadavg()),
    ])


def write_docs_section(section: str, body: str) -> None:
    begin = f"<!-- BEGIN GENERATED: {section} -->"
    end = f"<!-- END GENERATED: {section} -->"
    text = DOCS.read_text() if DOCS.is_file() else "# Benchmarks\n"
    block = f"{begin}\n{body.strip()}\n{end}"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + f"\n\n{block}\n"
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    DOCS.write_text(text)
    log(f"wrote the {section} section of {DOCS.relative_to(REPO)}")


def command_line(script: str, argv: list[str]) -> str:
    return " ".join([f"bench/{script}", *argv])


# ---------------------------------------------------------------------------------------------
# bench/corpus


def corpus(args: argparse.Namespace, argv: list[str]) -> int:
    libraries = choose_libraries(args.libraries)
    tc = toolchain(args)
    out_root = RESULTS / "corpus"
    rows, summary = [], []
    fix_rows, summary_fixes = [], {}
    any_crash = any_failure = any_broken_fix = False
    for lib in libraries:
        log(f"== {lib.name} ({lib.artifact})")
        prep = prepare(lib)
        log(f"  {len(prep.sources)} files, {prep.lines} lines"
            + (f", {len(prep.excluded)} excluded" if prep.excluded else "")
            + f"; compiling with Error Prone + {len(tc.checks)} LeakProne checks")
        lib_dir = out_root / lib.name
        sealed = lib.heldout and not args.heldout
        if sealed:
            log("  held out: compiled with Error Prone and no LeakProne check (--heldout runs them)")
        run = compile_once(tc, prep, EP_OFF if sealed else EP_LEAKPRONE, lib_dir / "javac.log")
        result = outcome(run, [] if sealed else tc.checks)
        write_library_results(lib_dir, prep, result)
        any_crash |= bool(result.crashes)
        any_failure |= not result.ok
        status = "ok" if result.ok else f"FAILED (exit {run.returncode})"
        log(f"  {status} in {run.wall:.1f}s, peak RSS {run.peak_rss_mb:.0f} MB; "
            f"{len(result.crashes)} crashes; {len(result.leakprone)} LeakProne diagnostics"
            + (f"; {len(result.errors)} compile errors" if result.errors else ""))
        for crash in result.crashes:
            log(f"  CRASH in {crash.check} at {crash.file}:{crash.line}: {crash.exception}")
        for error in result.errors[:5]:
            log(f"  error: {error.file}:{error.line}: {error.message}")
        if args.apply_fixes:
            fixes = apply_fixes(tc, prep, lib_dir, result.leakprone)
            fix_rows.append([lib.name, fixes["offered"], fixes["changed_files"],
                             fixes["broken_files"], fixes["errors"]])
            summary_fixes[lib.name] = fixes
            any_broken_fix |= fixes["broken_files"] > 0 or not fixes["patched_ok"]
        crashed = sorted({c.check for c in result.crashes})
        rows.append([lib.name, lib.version, len(prep.sources), prep.lines,
                     "yes" if result.ok else ("**no** (crash)" if crashed else "**no**"),
                     f"**{len(result.crashes)}** ({', '.join(crashed)})" if crashed else 0,
                     *[("held out" if sealed else result.by_check[c]) for c in tc.checks], f"{run.wall:.0f}",
                     f"{run.peak_rss_mb:.0f}"])
        summary.append({
            "library": lib.name, "artifact": lib.artifact, "files": len(prep.sources),
            "lines": prep.lines, "excluded": prep.excluded, "compiled": result.ok,
            "exit_code": run.returncode, "crashes": [c.__dict__ | {"text": None} for c in result.crashes],
            "heldout": lib.heldout, "checks_run": not sealed,
            "diagnostics": result.by_check, "compile_errors": len(result.errors),
            "other_warnings": result.other_warnings, "seconds": round(run.wall, 1),
            "peak_rss_mb": round(run.peak_rss_mb), "results": str(lib_dir.relative_to(REPO)),
        })
    header = ["library", "version", "files", "lines", "compiled", "crashes",
              *tc.checks, "time s", "peak RSS MB"]
    table = markdown_table(header, rows)
    print(table)
    if args.apply_fixes:
        print()
        print(markdown_table(["library", "fixes offered", "files changed", "files that no longer "
                              "compile", "compile errors"], fix_rows))
    out_root.mkdir(parents=True, exist_ok=True)
    (out_root / "summary.json").write_text(
        json.dumps({"toolchain": tc.describe(), "libraries": summary}
                   | ({"fixes": summary_fixes} if args.apply_fixes else {}), indent=1))
    log(f"diagnostics per library: {out_root.relative_to(REPO)}/<library>/diagnostics.txt")
    if not args.no_docs:
        notes = [f"- {lib.name}: {lib.notes}" for lib in libraries if lib.notes]
        excluded = [f"- {s['library']}: {len(s['excluded'])} files excluded (see bench/libraries.toml)"
                    for s in summary if s["excluded"]]
        write_docs_section("corpus", "\n".join([
            provenance(tc, command_line("corpus", argv)), "",
            "Diagnostics columns count warnings per LeakProne check; *crashes* counts exceptions "
            "escaping a check (named). A crash stops javac, so that library's counts are "
            "partial.", "", table, "", *notes, *excluded]))
    if any_crash:
        log("FAILED: a check crashed (see above)")
        return 1
    if any_failure:
        log("FAILED: a library did not compile (see above)")
        return 2
    if any_broken_fix:
        log("FAILED: a suggested fix breaks compilation (see fixes-errors.txt above)")
        return 4
    return 0


def apply_fixes(tc: Toolchain, prep: Prepared, lib_dir: Path, diagnostics: list[Diagnostic]) -> dict:
    """Copies the library's sources, applies every LeakProne fix in place (-XepPatchChecks,
    -XepPatchLocation:IN_PLACE), then compiles the patched copy with plain javac. A file that
    compiled before and not after was broken by a fix."""
    root = CACHE / "src" / prep.library.name
    copy_root = CACHE / "work" / prep.library.name / "patched"
    shutil.rmtree(copy_root, ignore_errors=True)
    copies = []
    for source in prep.sources:
        target = copy_root / source.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        copies.append(target)
    argfile = CACHE / "work" / prep.library.name / "patched-sources.txt"
    write_argfile(argfile, copies)
    patch_run = compile_once(tc, prep, EP_PATCH, lib_dir / "fixes-patch.log", argfile=argfile)
    # Counted on the ordinary run, which prints each fix ("Did you mean …").
    offered = sum(1 for d in diagnostics if any("Did you mean" in line for line in d.text))
    changed = []
    for source, target in zip(prep.sources, copies):
        if source.read_bytes() != target.read_bytes():
            changed.append(target)
    diff_lines = []
    for source, target in zip(prep.sources, copies):
        if target in changed:
            diff_lines += difflib.unified_diff(
                source.read_text(errors="replace").splitlines(keepends=True),
                target.read_text(errors="replace").splitlines(keepends=True),
                fromfile=str(source.relative_to(root)), tofile=str(source.relative_to(root)) + " (fixed)")
    (lib_dir / "fixes.diff").write_text("".join(diff_lines))
    plain = compile_once(tc, prep, PLAIN, lib_dir / "fixes-recompile.log", argfile=argfile)
    errors = [d for d in parse_log(plain.log_path.read_text(errors="replace")) if d.kind == "error"]
    broken = sorted({d.file for d in errors if d.file})
    (lib_dir / "fixes-errors.txt").write_text(
        "".join("\n".join(d.text) + "\n\n" for d in errors))
    log(f"  fixes: {offered} offered, {len(changed)} files changed; plain javac on the fixed "
        f"copy: {'ok' if plain.returncode == 0 else f'{len(errors)} errors in {len(broken)} files'}"
        + (f" (patch run exit {patch_run.returncode})" if patch_run.returncode != 0 else ""))
    for d in errors[:5]:
        log(f"  broken by a fix: {d.file}:{d.line}: {d.message}")
    return {"offered": offered, "changed_files": len(changed), "broken_files": len(broken),
            "errors": len(errors), "patched_ok": patch_run.returncode == 0,
            "recompiled_ok": plain.returncode == 0}


def write_library_results(lib_dir: Path, prep: Prepared, result: Outcome) -> None:
    root = str(CACHE / "src" / prep.library.name) + "/"
    def short(path: str | None) -> str:
        return (path or "").replace(root, "")
    with (lib_dir / "diagnostics.txt").open("w") as f:
        f.write(f"# {prep.library.artifact}: {len(result.leakprone)} LeakProne diagnostics, "
                f"{len(result.crashes)} crashes. Paths relative to {root}\n")
        for d in sorted(result.leakprone, key=lambda d: (d.tag, d.file or "", d.line or 0)):
            f.write("\n" + "\n".join(short(l) for l in d.text) + "\n")
    with (lib_dir / "diagnostics.tsv").open("w") as f:
        f.write("check\tfile\tline\tmessage\n")
        for d in sorted(result.leakprone, key=lambda d: (d.tag, d.file or "", d.line or 0)):
            f.write(f"{d.tag}\t{short(d.file)}\t{d.line}\t{d.message}\n")
    with (lib_dir / "crashes.txt").open("w") as f:
        for c in result.crashes:
            f.write("\n".join(short(l) for l in c.text) + "\n\n")
    with (lib_dir / "errors.txt").open("w") as f:
        for d in result.errors:
            f.write("\n".join(short(l) for l in d.text) + "\n")
    if prep.excluded:
        (lib_dir / "excluded.txt").write_text("\n".join(prep.excluded) + "\n")


# ---------------------------------------------------------------------------------------------
# bench/overhead


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _checked(run: Run, what: str) -> Run:
    if run.returncode != 0:
        text = run.log_path.read_text(errors="replace")
        crashed = sorted({c.check for c in find_crashes(text, parse_log(text))})
        reason = f"crash in {', '.join(crashed)}" if crashed else f"exit {run.returncode}"
        raise BenchError(f"{what} failed ({reason}); see {run.log_path}")
    return run


def measure_pairs(tc: Toolchain, prep: Prepared, runs: int, log_dir: Path, label: str,
                  extra_classpath: list[str] = (), argfile: Path | None = None,
                  modes: tuple[str, str] = (EP_OFF, EP_LEAKPRONE)) -> dict:
    """A warm-up pair, then `runs` pairs alternating Error Prone alone (a) and with the
    LeakProne checks (b); `modes` names the two configurations."""
    a_runs, b_runs = [], []
    for i in range(runs + 1):
        counted = i > 0
        tag = f"run{i}" if counted else "warmup"
        for mode, bucket in zip(modes, (a_runs, b_runs)):
            run = _checked(compile_once(tc, prep, mode, log_dir / f"{mode}-{tag}.log",
                                        extra_classpath, argfile), f"{label} {mode} {tag}")
            log(f"  {tag:7} {mode:15} {run.wall:7.1f}s  cpu {run.cpu:7.1f}s  "
                f"RSS {run.peak_rss_mb:6.0f} MB")
            if counted:
                bucket.append(run)
    ratios = [b.wall / a.wall for a, b in zip(a_runs, b_runs)]
    cpu_ratios = [b.cpu / a.cpu for a, b in zip(a_runs, b_runs)]
    return {
        "a_wall": [r.wall for r in a_runs], "b_wall": [r.wall for r in b_runs],
        "a_cpu": [r.cpu for r in a_runs], "b_cpu": [r.cpu for r in b_runs],
        "a_rss": [r.peak_rss_mb for r in a_runs], "b_rss": [r.peak_rss_mb for r in b_runs],
        "ratios": ratios,
        "ratio_median": _median(ratios), "ratio_min": min(ratios), "ratio_max": max(ratios),
        "cpu_ratios": cpu_ratios, "cpu_ratio_median": _median(cpu_ratios),
        "load_average": os.getloadavg()[0],
        "leakprone_diagnostics": len(outcome(b_runs[-1], tc.checks).leakprone),
    }


def overhead(args: argparse.Namespace, argv: list[str]) -> int:
    if args.scaling:
        return scaling(args, argv)
    if args.runs < 1:
        raise BenchError("--runs must be at least 1")
    libraries = choose_libraries(args.libraries)
    tc = toolchain(args)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_root = RESULTS / "overhead" / stamp
    rows, results, failed = [], [], []
    for lib in libraries:
        log(f"== {lib.name} ({lib.artifact})")
        prep = prepare(lib)
        log(f"  {len(prep.sources)} files, {prep.lines} lines")
        entry = {"library": lib.name, "artifact": lib.artifact, "files": len(prep.sources),
                 "lines": prep.lines}
        try:
            if not args.no_plain:
                plain = _checked(compile_once(tc, prep, PLAIN, out_root / lib.name / "plain.log"),
                                 f"{lib.name} plain javac")
                log(f"  once    {PLAIN:15} {plain.wall:7.1f}s  cpu {plain.cpu:7.1f}s  "
                    f"RSS {plain.peak_rss_mb:6.0f} MB")
                entry |= {"plain_wall": plain.wall, "plain_rss": plain.peak_rss_mb}
            entry |= measure_pairs(tc, prep, args.runs, out_root / lib.name, lib.name)
            if args.defaults:
                entry["defaults"] = measure_pairs(
                    tc, prep, args.runs, out_root / lib.name, lib.name,
                    modes=(EP_DEFAULTS, EP_DEFAULTS_LEAKPRONE))
        except BenchError as e:  # e.g. a check crashed: report it, measure the others
            log(f"  error: {e}")
            failed.append(lib.name)
            entry["error"] = str(e)
            results.append(entry)
            rows.append([lib.name, entry["lines"], f"**failed**: {e}".split(";")[0],
                         *["-"] * (10 if args.defaults else 8)])
            continue
        results.append(entry)
        rows.append([
            lib.name, entry["lines"],
            f"{entry['plain_wall']:.1f}" if "plain_wall" in entry else "-",
            f"{_median(entry['a_wall']):.1f}", f"{_median(entry['b_wall']):.1f}",
            f"{entry['ratio_median']:.3f}",
            f"{entry['ratio_min']:.3f}–{entry['ratio_max']:.3f}",
            f"{entry['cpu_ratio_median']:.3f}",
            f"{entry['plain_rss']:.0f}" if "plain_rss" in entry else "-",
            f"{max(entry['a_rss']):.0f}", f"{max(entry['b_rss']):.0f}",
            *(_defaults_cells(entry["defaults"]) if args.defaults else []),
        ])
        log(f"  b/a median {entry['ratio_median']:.3f} "
            f"(min {entry['ratio_min']:.3f}, max {entry['ratio_max']:.3f}); "
            f"CPU b/a median {entry['cpu_ratio_median']:.3f}")
    header = ["library", "lines", "javac s (c)", "EP s (a)", "EP+LeakProne s (b)",
              "b/a median", "b/a min–max", "b/a CPU", "RSS MB (c)", "RSS MB (a)", "RSS MB (b)"]
    if args.defaults:
        header += ["EP defaults s (d)", "defaults+LeakProne s (e)", "e/d median"]
    measured = [e for e in results if "error" not in e]
    if len(libraries) > 1 and len(measured) == len(libraries):
        rows.append(_whole_corpus_row(measured, args.defaults))
    table = markdown_table(header, rows)
    print(table)
    out_root.mkdir(parents=True, exist_ok=True)
    (out_root / "overhead.json").write_text(
        json.dumps({"toolchain": tc.describe(), "runs": args.runs, "libraries": results}, indent=1))
    log(f"raw numbers and logs: {out_root.relative_to(REPO)}")
    if not args.no_docs:
        write_docs_section("overhead", "\n".join([
            provenance(tc, command_line("overhead", argv)), "",
            f"Wall-clock seconds, median of {args.runs} counted runs after one warm-up pair; "
            "(a) and (b) alternate. (a) Error Prone with every check disabled, (b) the same "
            "with every LeakProne check enabled, (c) plain javac, once. b/a is the median of "
            "the per-pair ratios of wall-clock time; *b/a CPU* the same for user+system CPU "
            "time, which suffers less when other work shares the machine. RSS is the peak "
            "resident set of javac, the largest over the counted runs. *Whole corpus* divides "
            "the sums of the per-library medians, so large libraries weigh by their time."
            + (" (d) is Error Prone with its default checks (errors as warnings) and (e) the "
               "same with every LeakProne check: what a user who already runs Error Prone pays."
               if args.defaults else ""), "", table]))
    if failed:
        log(f"FAILED: {', '.join(failed)} could not be measured (see above)")
        return 1
    return 0


def _defaults_cells(d: dict) -> list[str]:
    return [f"{_median(d['a_wall']):.1f}", f"{_median(d['b_wall']):.1f}",
            f"{d['ratio_median']:.3f}"]


def _whole_corpus_row(measured: list[dict], defaults: bool) -> list[str]:
    """Ratios of the sums of per-library medians: the whole corpus as one build."""
    def total(entries: list[dict], key: str) -> float:
        return sum(_median(e[key]) for e in entries)
    a, b = total(measured, "a_wall"), total(measured, "b_wall")
    a_cpu, b_cpu = total(measured, "a_cpu"), total(measured, "b_cpu")
    plain = sum(e["plain_wall"] for e in measured) if all("plain_wall" in e for e in measured) else None
    row = ["**whole corpus**", sum(e["lines"] for e in measured),
           f"{plain:.1f}" if plain is not None else "-", f"{a:.1f}", f"{b:.1f}",
           f"**{b / a:.3f}**", "-", f"{b_cpu / a_cpu:.3f}", "-",
           f"{max(max(e['a_rss']) for e in measured):.0f}",
           f"{max(max(e['b_rss']) for e in measured):.0f}"]
    if defaults:
        ds = [e["defaults"] for e in measured]
        d, e_ = total(ds, "a_wall"), total(ds, "b_wall")
        row += [f"{d:.1f}", f"{e_:.1f}", f"**{e_ / d:.3f}**"]
    return row


def package_slices(prep: Prepared, percents: list[int]) -> list[tuple[int, list[Path], int]]:
    """Whole packages adding up to about each percentage of the lines, largest first."""
    packages: dict[Path, list[Path]] = {}
    for source in prep.sources:
        packages.setdefault(source.parent, []).append(source)
    sizes = {pkg: sum(count_lines(f) for f in files) for pkg, files in packages.items()}
    order = sorted(packages, key=lambda pkg: (-sizes[pkg], str(pkg)))
    slices = []
    for percent in percents:
        target = prep.lines * percent / 100
        chosen, total = [], 0
        for pkg in order:
            if total + sizes[pkg] <= target * 1.02:
                chosen.append(pkg)
                total += sizes[pkg]
        files = sorted(f for pkg in chosen for f in packages[pkg])
        slices.append((percent, files, total))
    return slices


def scaling(args: argparse.Namespace, argv: list[str]) -> int:
    runs = args.runs if args.runs_given else 3
    lib = choose_libraries([args.scaling_library])[0]
    tc = toolchain(args)
    prep = prepare(lib)
    # Packages left out are compiled against the library's own jar.
    own_jar = str(fetch(lib.artifact, "jar"))
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_root = RESULTS / "scaling" / stamp
    rows, results = [], []
    for percent, files, lines in package_slices(prep, [25, 50, 100]):
        log(f"== {lib.name} {percent}%: {len(files)} files, {lines} lines")
        argfile = CACHE / "work" / lib.name / f"sources-{percent}.txt"
        write_argfile(argfile, files)
        entry = measure_pairs(tc, prep, runs, out_root / f"{percent}", f"{lib.name} {percent}%",
                              [own_jar], argfile)
        entry |= {"percent": percent, "files": len(files), "lines": lines}
        results.append(entry)
    # Least-squares line through (lines, median seconds) for (a) and (b).
    fits = {}
    for key in ("a_wall", "b_wall"):
        xs = [e["lines"] / 1000 for e in results]
        ys = [_median(e[key]) for e in results]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        intercept = my - slope * mx
        worst = max(abs(y - (intercept + slope * x)) / y for x, y in zip(xs, ys))
        fits[key] = (slope, intercept, worst)
    for e in results:
        a, b = _median(e["a_wall"]), _median(e["b_wall"])
        rows.append([f"{e['percent']}%", e["files"], e["lines"], f"{a:.1f}", f"{b:.1f}",
                     f"{e['ratio_median']:.3f}", f"{1000 * b / e['lines']:.3f}",
                     f"{max(e['b_rss']):.0f}"])
    header = ["slice", "files", "lines", "EP s (a)", "EP+LeakProne s (b)", "b/a median",
              "(b) s per 1,000 lines", "RSS MB (b)"]
    fit_lines = [
        f"- Linear fit {name}: {fits[key][1]:.1f} s + {fits[key][0]:.3f} s per 1,000 lines; "
        f"largest deviation from the line {100 * fits[key][2]:.1f}%"
        for key, name in (("a_wall", "(a)"), ("b_wall", "(b)"))]
    table = markdown_table(header, rows)
    print(table)
    print("\n".join(fit_lines))
    out_root.mkdir(parents=True, exist_ok=True)
    (out_root / "scaling.json").write_text(json.dumps(
        {"toolchain": tc.describe(), "runs": runs, "library": lib.artifact, "slices": results},
        indent=1))
    log(f"raw numbers and logs: {out_root.relative_to(REPO)}")
    if not args.no_docs:
        write_docs_section("scaling", "\n".join([
            provenance(tc, command_line("overhead", argv)), "",
            f"{lib.artifact} compiled by whole packages (largest first) adding up to about "
            f"25%, 50% and 100% of its lines; the packages left out come from its jar. Median of "
            f"{runs} counted runs after one warm-up pair. The fixed part (JVM start, loading "
            "Error Prone) shows as the intercept.", "", table, "", *fit_lines]))
    return 0


# ---------------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("corpus", "overhead"):
        print("usage: leakbench.py {corpus|overhead} [options]; see bench/README.md",
              file=sys.stderr)
        return 64
    script, rest = argv[0], argv[1:]
    parser = argparse.ArgumentParser(prog=f"bench/{script}")
    parser.add_argument("libraries", nargs="*", metavar="LIBRARY",
                        help="corpus libraries to use (default: all in bench/libraries.toml)")
    parser.add_argument("--plugin-jar", help="the LeakProne jar (default: newest in checks/target)")
    parser.add_argument("--build", action="store_true",
                        help="build the plugin jar first (mvn package -DskipTests -pl checks)")
    parser.add_argument("--xmx", default=os.environ.get("BENCH_JAVAC_XMX", "3g"),
                        help="javac heap (default 3g)")
    parser.add_argument("--no-docs", action="store_true",
                        help="do not update docs/benchmarks.md")
    if script == "corpus":
        parser.add_argument("--apply-fixes", action="store_true",
                            help="also apply every suggested fix to a copy of the sources and "
                                 "recompile it with plain javac")
    parser.add_argument("--checks", metavar="NAME[,NAME...]",
                        help="enable only these LeakProne checks (default: every check in the jar)")
    if script == "corpus":
        parser.add_argument("--heldout", action="store_true",
                            help="also run the checks on held-out libraries (heldout = true in "
                                 "libraries.toml); without it they are only compiled")
    if script == "overhead":
        parser.add_argument("--runs", type=int, default=None,
                            help="counted runs per mode (default 5; 3 with --scaling)")
        parser.add_argument("--no-plain", action="store_true", help="skip plain javac (c)")
        parser.add_argument("--defaults", action="store_true",
                            help="also time Error Prone's default checks without (d) and with "
                                 "(e) LeakProne")
        parser.add_argument("--scaling", action="store_true",
                            help="time 25%%, 50%% and 100%% of one library instead")
        parser.add_argument("--scaling-library", default="guava",
                            help="library for --scaling (default guava)")
    args = parser.parse_args(rest)
    try:
        if script == "corpus":
            return corpus(args, rest)
        args.runs_given = args.runs is not None
        args.runs = args.runs if args.runs is not None else 5
        return overhead(args, rest)
    except BenchError as e:
        log(f"error: {e}")
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
