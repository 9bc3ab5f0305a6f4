"""The languages the code verifier judges, each a small declarative spec.

Adding a language is one `Language(...)` line in `LANGUAGES`: its source file name, the
shell command that builds it inside the sandbox (writing the program to stdout, so the
build's only product crosses back as data and is reused for every test case), the argv
that runs it, the fence tags models use for it, and how much more CPU than C++ it gets
under a problem's stated limit (`time_factor`). Python is judged by the warm
interpreter (`verifiers/code/harness.py`) and supports every test kind; the others
support `stdio` tests.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

# The sandbox empties the environment; toolchains that spawn helpers (gcc's collect2
# looks for `ld`) need a PATH.
_PATH = "PATH=/usr/local/bin:/usr/bin:/bin; export PATH; "


class Language(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(description="the problem's `language` value")
    title: str = Field(description="how prompts name it")
    source: str = Field(description="the candidate's file in the sandbox's working directory")
    build: str | None = Field(None, description="shell command that builds `source` and writes the program to stdout")
    program: str = Field("main", description="the built program's file name")
    program_magic: bytes = Field(b"\x7fELF", description="how a built program starts (else the build made no program: a library, say)")
    run: list[str] = Field(
        description="argv that runs one test case (built program or interpreter); {heap_mb}: the run's memory limit "
                    "less 64 MB for the rest of the runtime (at least half of it), for the JVM's -Xmx")
    toolchain: tuple[str, ...] = Field(description="absolute paths this machine needs to judge the language")
    fences: tuple[str, ...] = Field(description="markdown fence tags that mean this language, the first one preferred")
    marker: str | None = Field(None, description="text a whole program contains (C's 'main('), to tell it from a snippet")
    names: Callable[[str], tuple[str, str]] | None = Field(
        None, description="code -> (file stem, entry) for {file} and {entry} in source and build (Java's classes); else ('Main', 'Main')")
    needs_cgroup: bool = Field(False, description="its runtime reserves more address space than rlimits allow (JVM, V8)")
    big_stack: bool = Field(
        False, description="its program's stack may grow to the memory limit, as judges allow C, C++ and Rust (else the system's 8 MiB)")
    time_factor: float = Field(
        1.0, ge=1, description="multiplies a problem's stated CPU limits, which judges write for C and C++")
    build_cpu_s: float = Field(30.0, description="CPU limit of the build")
    build_memory_mb: int = Field(1024, description="memory limit of the build")

    def build_for(self, code: str) -> tuple[str, str]:
        """(the source's file name, the build command) for `code`."""
        assert self.build is not None
        stem, entry = self.names(code) if self.names else ("Main", "Main")
        return self.source.replace("{file}", stem), self.build.replace("{file}", stem).replace("{entry}", entry)

    def run_argv(self, memory_mb: int) -> list[str]:
        """`run` for a run whose memory limit is `memory_mb`."""
        heap_mb = str(max(memory_mb // 2, memory_mb - _RUNTIME_MB))
        return [arg.replace("{heap_mb}", heap_mb) for arg in self.run]

    def missing(self) -> str | None:
        """None when this machine has the toolchain, else what is missing."""
        absent = [path for path in self.toolchain if not os.access(path, os.X_OK)]
        return f"{self.title}: not installed here ({', '.join(absent)})" if absent else None


_RUNTIME_MB = 64  # the JVM's own memory beside its heap (about 40 MB: code, metaspace, GC, stacks)
_JAVA_NOISE = re.compile(r'//[^\n]*|/\*.*?\*/|"""(?:\\.|[^\\])*?"""|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
_JAVA_WORD = r"[A-Za-z_]\w*"  # no `$` (legal in Java, but the name goes into a shell command)
_JAVA_TYPE = re.compile(
    rf"[{{}}]|\b((?:(?:public|protected|private|final|abstract|strictfp|static|sealed|non-sealed)\s++){{0,8}})"
    rf"(?:class|interface|enum|record)\s+({_JAVA_WORD})")
_JAVA_MAIN = re.compile(r"\b((?:(?:public|protected|private|static|final|synchronized|strictfp)\s+)+)void\s+main\s*\(")


def java_names(code: str) -> tuple[str, str]:
    """(file stem, class to run) for a Java program: javac wants a public top-level class
    in a file of its name, and the entry is that class when it declares main (as javac
    and judges run it), else the first top-level class that does (in its package).
    Modifiers count in any order (`static public void main`). Comments, strings and text
    blocks are blanked first; names are words, so they are safe in the build's shell
    command."""
    text = _JAVA_NOISE.sub(lambda m: " " * len(m.group(0)), code)
    package = re.search(rf"^\s*package\s+({_JAVA_WORD}(?:\s*\.\s*{_JAVA_WORD})*)\s*;", text, re.M)
    depth, top = 0, []  # (name, public, start, end) of top-level types
    for m in _JAVA_TYPE.finditer(text):
        if m.group(0) == "{":
            depth += 1
        elif m.group(0) == "}":
            depth -= 1
            if depth == 0 and top and top[-1][3] is None:
                top[-1][3] = m.end()
        elif depth == 0:
            top.append([m.group(2), "public" in m.group(1).split(), m.start(), None])
    public = next((name for name, is_public, _, _ in top if is_public), None)
    with_main = [name for name, _, start, end in top
                 if any("static" in m.group(1).split() for m in _JAVA_MAIN.finditer(text, start, end or len(text)))]  # fmt: skip
    stem = public or (with_main[0] if with_main else "Main")
    entry = public if public in with_main else (with_main[0] if with_main else stem)
    if package:
        entry = "".join(package.group(1).split()) + "." + entry
    return stem, entry


LANGUAGES: dict[str, Language] = {
    language.name: language
    for language in (
        Language(name="python", title="Python", source="main.py", run=[], toolchain=(), fences=("python", "py", "python3"), time_factor=3.0),
        Language(
            name="cpp", title="C++", source="main.cpp", marker="main(",
            build=_PATH + "g++ -O2 -std=c++20 -pipe -o main main.cpp && cat main",
            run=["/sandbox/main"], toolchain=("/usr/bin/g++",), fences=("cpp", "c++", "cc", "cxx"), big_stack=True,
        ),
        Language(
            name="c", title="C", source="main.c", marker="main(",
            build=_PATH + "gcc -O2 -std=gnu11 -pipe -o main main.c -lm && cat main",
            run=["/sandbox/main"], toolchain=("/usr/bin/gcc",), fences=("c",), big_stack=True,
        ),
        Language(
            name="java", title="Java", source="{file}.java", marker="void main(", program="main.jar", program_magic=b"PK\x03\x04",
            names=java_names,
            build=_PATH + "javac -J-Xmx512m -J-XX:+UseSerialGC -J-XX:ActiveProcessorCount=2 -encoding UTF-8 -d classes {file}.java && jar cfe main.jar {entry} -C classes . && cat main.jar",
            # one processor as the JVM sees it: its GC and compiler threads would scale with the
            # host's cores, past the run's thread limit on a large machine
            run=["/usr/bin/java", "-Xmx{heap_mb}m", "-Xss64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ActiveProcessorCount=1",
                 "-jar", "main.jar"],
            toolchain=("/usr/bin/javac", "/usr/bin/java", "/usr/bin/jar"), fences=("java",), build_memory_mb=2048, needs_cgroup=True,
            time_factor=2.0,
        ),
        Language(
            name="go", title="Go", source="main.go", marker="func main(",
            # go wants a home and a build cache: both in the build's own fresh /tmp
            build=_PATH + "HOME=/tmp GOCACHE=/tmp/gocache GOPATH=/tmp/go GO111MODULE=off GOMAXPROCS=2 go build -o main main.go && cat main",
            # Go's scheduler starts threads by the host's cores: one, as judges run programs
            run=["/usr/bin/env", "GOMAXPROCS=1", "/sandbox/main"], toolchain=("/usr/bin/go",), fences=("go", "golang"),
        ),
        Language(
            name="rust", title="Rust", source="main.rs", marker="fn main(",
            build=_PATH + "rustc -O --edition 2021 -o main main.rs && cat main",
            run=["/sandbox/main"], toolchain=("/usr/bin/rustc",), fences=("rust", "rs"), big_stack=True,
        ),
        Language(
            name="javascript", title="JavaScript", source="main.js", run=["/usr/bin/node", "main.js"],
            toolchain=("/usr/bin/node",), fences=("javascript", "js", "node"), needs_cgroup=True, time_factor=2.0,
        ),
    )
}  # fmt: skip
