"""Languages besides Python (`verifiers/code/languages.py`): real compilers and runtimes in
the real sandbox, honest programs and hostile ones, each attack with an honest twin."""

from __future__ import annotations

import socket
import time

import pytest

from verifiers.code.languages import LANGUAGES, java_names
from verifiers.code.problem import CodeLimits, CodeProblem, StdioCase, StdioTests
from verifiers.schema import Status

ADD = StdioTests(cases=[StdioCase(stdin="2 3\n", stdout="5\n"), StdioCase(stdin="10 -4\n", stdout="6\n"),
                        StdioCase(stdin="1000000000000 1\n", stdout="1000000000001\n")])  # fmt: skip
HONEST = {
    "cpp": "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << a + b << std::endl; }\n",
    "c": '#include <stdio.h>\nint main(void) { long long a, b; if (scanf("%lld %lld", &a, &b) != 2) return 1; printf("%lld\\n", a + b); return 0; }\n',
    "java": "import java.util.*;\npublic class Main {\n  public static void main(String[] args) {\n"
            "    Scanner in = new Scanner(System.in);\n    System.out.println(in.nextLong() + in.nextLong());\n  }\n}\n",
    "javascript": "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(BigInt);\nconsole.log(String(a + b));\n",
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tvar a, b int64\n\tfmt.Scan(&a, &b)\n\tfmt.Println(a + b)\n}\n',
    "rust": "use std::io::Read;\nfn main() {\n    let mut s = String::new();\n    std::io::stdin().read_to_string(&mut s).unwrap();\n"
            "    let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();\n    let (a, b) = (v[0], v[1]);\n    println!(\"{}\", a + b);\n}\n",
}  # fmt: skip
COMPILED = ("cpp", "c")


def _needs(language: str) -> None:
    if missing := LANGUAGES[language].missing():
        pytest.skip(f"{missing}: .ci/run installs it (Debian packages)")


def problem(language: str, tests: StdioTests = ADD, **fields: object) -> CodeProblem:
    return CodeProblem(problem_id=f"add-{language}", prompt="Read two integers, print their sum.", language=language,
                       tests=tests, limits=CodeLimits(cpu_s=2, memory_mb=256), **fields)  # fmt: skip


def fenced(language: str, code: str) -> str:
    return f"Here is my solution.\n\n```{LANGUAGES[language].fences[0]}\n{code}```\n"


@pytest.mark.parametrize("language", list(HONEST))
def test_honest_programs_pass_and_wrong_ones_fail(verifier, language: str) -> None:
    _needs(language)
    honest = verifier.verify(problem(language), fenced(language, HONEST[language]))
    assert honest.passed and honest.tests_passed == 3, honest
    wrong = HONEST[language].replace("a + b", "a - b").replace("in.nextLong() + in.nextLong()", "in.nextLong() - in.nextLong()")
    verdict = verifier.verify(problem(language), fenced(language, wrong))
    assert verdict.status is Status.fail and verdict.tests_passed == 0 and "case 0" in verdict.reason, verdict


@pytest.mark.parametrize("language", ["cpp", "c", "java", "go", "rust"])
def test_compile_errors_name_the_first_error(verifier, language: str) -> None:
    _needs(language)
    broken = HONEST[language].replace("a + b", "a + undeclared_name").replace("in.nextLong() + in.nextLong()", "undeclaredName")
    verdict = verifier.verify(problem(language), fenced(language, broken))
    assert verdict.status is Status.compile_error, verdict
    # the compiler's own first error: gcc's "not declared", go's "undefined", javac's and rustc's "cannot find"
    assert any(words in verdict.reason for words in ("undeclared", "not declared", "undefined", "cannot find")), verdict


def test_cpp_is_cpp20_as_judges_offer_it(verifier) -> None:
    """Library calls models write often, from C++20: they were compile errors under -std=c++17."""
    _needs("cpp")
    contains = "#include <bits/stdc++.h>\nint main() { long long a, b; std::cin >> a >> b; std::map<int, int> m{{1, 1}};\n  if (m.contains(1)) std::cout << a + b << std::endl; }\n"
    ranges = "#include <bits/stdc++.h>\nint main() { std::vector<long long> v(2); std::cin >> v[0] >> v[1]; std::ranges::sort(v);\n  std::cout << v[0] + v[1] << std::endl; }\n"
    for code in (contains, ranges):
        verdict = verifier.verify(problem("cpp"), fenced("cpp", code))
        assert verdict.passed and verdict.tests_passed == 3, verdict


def test_extraction_follows_the_language(verifier) -> None:
    _needs("cpp")
    demo = "```cpp\nstd::cout << add(2, 3);  // usage\n```\n"
    text = f"Example:\n{demo}\nSolution:\n```c++\n{HONEST['cpp']}```\nThen run it:\n```bash\n./main\n```\n"
    assert verifier.verify(problem("cpp"), text).passed  # the block with main(), not the demo or the shell
    assert verifier.verify(problem("cpp"), HONEST["cpp"]).passed  # a whole program, unfenced
    python_only = verifier.verify(problem("cpp"), "```python\nprint(sum(map(int, input().split())))\n```")
    assert python_only.status is Status.no_answer and "C++" in python_only.reason


def test_a_reference_in_the_language_sets_the_time_limit(verifier) -> None:
    _needs("cpp")
    unstated = problem("cpp", reference_solution=fenced("cpp", HONEST["cpp"])).model_copy(update={"limits": CodeLimits()})
    verdict = verifier.verify(unstated, fenced("cpp", HONEST["cpp"]))
    assert verdict.passed and verdict.cpu_limit_s == 1.0  # the floor: the reference runs in milliseconds
    loop = verifier.verify(unstated, fenced("cpp", "int main() { volatile unsigned long x = 0; for (;;) x++; }\n"))
    assert loop.status is Status.timeout and loop.cpu_s < 2.0, loop


# A path of n nodes walked by recursion 10^6 deep, with work after each call (no tail call
# to turn into a loop): tens of MB of stack, which judges give C, C++ and Rust (a stack as
# large as the memory limit); the system's 8 MB is a SIGSEGV.
DEEP = {
    "cpp": "#include <bits/stdc++.h>\nusing namespace std;\nvector<vector<int>> g; vector<int> dep;\n"
           "void dfs(int u, int p) { for (int v : g[u]) if (v != p) { dep[v] = dep[u] + 1; dfs(v, u); } }\n"
           "int main() { int n; cin >> n; g.assign(n, {}); dep.assign(n, 0);\n"
           "  for (int i = 0; i + 1 < n; i++) { g[i].push_back(i + 1); g[i + 1].push_back(i); }\n"
           "  dfs(0, -1); cout << dep[n - 1] << endl; }\n",
    "c": "#include <stdio.h>\n#include <stdlib.h>\nint *order, done;\n"
         "void walk(int u, int n) { if (u + 1 < n) walk(u + 1, n); order[done++] = u; }\n"
         "int main(void) { int n; if (scanf(\"%d\", &n) != 1) return 1; order = malloc(sizeof(int) * n);\n"
         "  walk(0, n); printf(\"%d\\n\", order[0]); return 0; }\n",
    "rust": "use std::io::Read;\nfn walk(u: usize, n: usize, order: &mut Vec<usize>) { if u + 1 < n { walk(u + 1, n, order); } order.push(u); }\n"
            "fn main() { let mut s = String::new(); std::io::stdin().read_to_string(&mut s).unwrap();\n"
            "  let n: usize = s.trim().parse().unwrap(); let mut order = Vec::new(); walk(0, n, &mut order); println!(\"{}\", order[0]); }\n",
}  # fmt: skip
DEEP_CASES = StdioTests(cases=[StdioCase(stdin="5\n", stdout="4\n"), StdioCase(stdin="1000000\n", stdout="999999\n")])


@pytest.mark.parametrize("language", list(DEEP))
def test_compiled_programs_get_a_stack_as_large_as_the_memory_limit(verifier, language: str) -> None:
    _needs(language)
    verdict = verifier.verify(problem(language, DEEP_CASES), fenced(language, DEEP[language]))
    assert verdict.passed and verdict.tests_passed == 2, verdict


# -- hostile programs, in C++ and in C --------------------------------------------------------------

ATTACKS = {
    "infinite loop": ("int main() { volatile unsigned long x = 0; for (;;) x++; }\n", {Status.timeout}),
    "fork bomb": ("#include <unistd.h>\nint main() { for (;;) fork(); }\n", {Status.timeout, Status.memory_limit, Status.runtime_error}),
    "memory flood": ("#include <stdlib.h>\n#include <string.h>\nint main() { for (;;) { char *p = (char *)malloc(1 << 24); if (p) memset(p, 1, 1 << 24); } }\n",
                     {Status.memory_limit, Status.runtime_error}),
    "output flood": ("#include <stdio.h>\nint main() { for (;;) fputs(\"5\\n5\\n5\\n5\\n5\\n5\\n5\\n5\\n\", stdout); }\n", {Status.output_limit}),
    "kills everyone it can": ("#include <signal.h>\n#include <unistd.h>\nint main() { kill(-1, SIGKILL); kill(getppid(), SIGKILL); kill(1, SIGKILL); return 0; }\n",
                              {Status.fail}),
    "segfault": ("int main() { volatile int *p = 0; *p = 5; return 0; }\n", {Status.runtime_error}),
}  # fmt: skip


@pytest.mark.parametrize("language", COMPILED)
@pytest.mark.parametrize("name", list(ATTACKS))
def test_resource_attacks_end_in_their_status(verifier, language: str, name: str) -> None:
    _needs(language)
    code, statuses = ATTACKS[name]
    started = time.monotonic()
    verdict = verifier.verify(problem(language), fenced(language, code))
    assert verdict.status in statuses, verdict
    assert time.monotonic() - started < 20


SNOOP = r"""
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <dirent.h>
#include <arpa/inet.h>
#include <sys/socket.h>
int main(void) {
    long long a, b;
    if (scanf("%lld %lld", &a, &b) != 2) return 1;
    const char *secrets[] = {"/etc/shadow", "/root/.bashrc", "/proc/1/environ", "/sandbox/expected", "/tmp/../etc/shadow"};
    for (int i = 0; i < 5; i++) { int fd = open(secrets[i], O_RDONLY); if (fd >= 0) { printf("read %s\n", secrets[i]); close(fd); } }
    int out = open("/usr/lib/assay-was-here", O_WRONLY | O_CREAT, 0644); if (out >= 0) printf("wrote outside\n");
    DIR *d = opendir("/sandbox"); struct dirent *e;
    while (d && (e = readdir(d))) if (e->d_name[0] != '.' && strcmp(e->d_name, "main")) printf("found %s\n", e->d_name);
    int s = socket(AF_INET, SOCK_STREAM, 0); struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET; addr.sin_port = htons(PORT); addr.sin_addr.s_addr = htonl(0x7f000001);
    if (connect(s, (struct sockaddr *)&addr, sizeof addr) == 0) printf("connected\n");
    printf("%lld\n", a + b);
    return 0;
}
"""


# -- the same attacks in Rust, Go and Java ---------------------------------------------------------

_LOOPING = {Status.timeout}
_BOMB = {Status.timeout, Status.memory_limit, Status.runtime_error}
_FLOOD = {Status.memory_limit, Status.runtime_error}
MORE_ATTACKS = {
    ("rust", "infinite loop"): ("fn main() { let mut x: u64 = 0; loop { unsafe { std::ptr::write_volatile(&mut x, x.wrapping_add(1)); } } }\n", _LOOPING),
    ("rust", "process bomb"): ('fn main() { loop { let _ = std::process::Command::new("/proc/self/exe").spawn(); } }\n', _BOMB),
    ("rust", "memory flood"): ("fn main() { let mut keep = Vec::new(); loop { keep.push(vec![1u8; 1 << 24]); } }\n", _FLOOD),
    ("rust", "output flood"): ("use std::io::Write;\nfn main() { let mut out = std::io::stdout().lock(); loop { let _ = out.write_all(b\"5\\n5\\n5\\n5\\n\"); } }\n",
                               {Status.output_limit}),
    ("rust", "kills everyone it can"): ('extern "C" { fn kill(pid: i32, sig: i32) -> i32; fn getppid() -> i32; }\n'
                                        "fn main() { unsafe { kill(-1, 9); kill(1, 9); kill(getppid(), 9); } }\n", {Status.fail}),
    ("go", "infinite loop"): ("package main\n\nfunc main() {\n\tfor {\n\t}\n}\n", _LOOPING),
    ("go", "process bomb"): ('package main\n\nimport "os/exec"\n\nfunc main() {\n\tfor {\n\t\t_ = exec.Command("/proc/self/exe").Start()\n\t}\n}\n', _BOMB),
    ("go", "memory flood"): ("package main\n\nfunc main() {\n\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 1<<24)\n\t\tfor i := range b {\n\t\t\tb[i] = 1\n\t\t}\n"
                             "\t\tkeep = append(keep, b)\n\t}\n}\n", _FLOOD),
    ("go", "output flood"): ('package main\n\nimport (\n\t"bufio"\n\t"os"\n)\n\nfunc main() {\n\tw := bufio.NewWriter(os.Stdout)\n\tfor {\n\t\tw.WriteString("5\\n5\\n5\\n5\\n")\n\t}\n}\n',
                             {Status.output_limit}),
    ("go", "kills everyone it can"): ('package main\n\nimport "syscall"\n\nfunc main() {\n\tsyscall.Kill(-1, syscall.SIGKILL)\n\tsyscall.Kill(1, syscall.SIGKILL)\n'
                                      "\tsyscall.Kill(syscall.Getppid(), syscall.SIGKILL)\n}\n", {Status.fail}),
    ("java", "memory flood"): ("import java.util.*;\npublic class Main { public static void main(String[] a) { List<byte[]> keep = new ArrayList<>();"
                               " while (true) keep.add(new byte[1 << 24]); } }\n", _FLOOD),
    ("java", "output flood"): ('public class Main { public static void main(String[] a) { while (true) System.out.print("5\\n5\\n5\\n5\\n"); } }\n',
                               {Status.output_limit}),
}  # fmt: skip


@pytest.mark.parametrize(("language", "name"), list(MORE_ATTACKS), ids=[f"{lang}-{name}" for lang, name in MORE_ATTACKS])
def test_resource_attacks_in_more_languages(verifier, language: str, name: str) -> None:
    _needs(language)
    code, statuses = MORE_ATTACKS[language, name]
    started = time.monotonic()
    verdict = verifier.verify(problem(language), fenced(language, code))
    assert verdict.status in statuses, verdict
    assert time.monotonic() - started < 30


MORE_SNOOPS = {
    "rust": r"""
use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let v: Vec<i64> = s.split_whitespace().map(|x| x.parse().unwrap()).collect();
    for path in ["/etc/shadow", "/root/.bashrc", "/proc/1/environ", "/sandbox/expected", "/tmp/../etc/shadow"] {
        if std::fs::read(path).is_ok() { println!("read {}", path); }
    }
    if std::fs::write("/usr/lib/assay-was-here", b"x").is_ok() { println!("wrote outside"); }
    if let Ok(entries) = std::fs::read_dir("/sandbox") {
        for e in entries.flatten() { let n = e.file_name().into_string().unwrap_or_default(); if n != "main" { println!("found {}", n); } }
    }
    if std::net::TcpStream::connect(("127.0.0.1", PORT)).is_ok() { println!("connected"); }
    println!("{}", v[0] + v[1]);
}
""",
    "go": r"""
package main

import (
	"fmt"
	"net"
	"os"
)

func main() {
	var a, b int64
	fmt.Scan(&a, &b)
	for _, path := range []string{"/etc/shadow", "/root/.bashrc", "/proc/1/environ", "/sandbox/expected", "/tmp/../etc/shadow"} {
		if _, err := os.ReadFile(path); err == nil {
			fmt.Println("read", path)
		}
	}
	if os.WriteFile("/usr/lib/assay-was-here", []byte("x"), 0644) == nil {
		fmt.Println("wrote outside")
	}
	if entries, err := os.ReadDir("/sandbox"); err == nil {
		for _, e := range entries {
			if e.Name() != "main" {
				fmt.Println("found", e.Name())
			}
		}
	}
	if conn, err := net.Dial("tcp", "127.0.0.1:PORT"); err == nil {
		conn.Close()
		fmt.Println("connected")
	}
	fmt.Println(a + b)
}
""",
    "java": r"""
import java.io.*;
import java.net.*;
import java.nio.file.*;
import java.util.*;

public class Main {
    public static void main(String[] args) {
        Scanner in = new Scanner(System.in);
        long a = in.nextLong(), b = in.nextLong();
        for (String path : new String[] {"/etc/shadow", "/root/.bashrc", "/proc/1/environ", "/sandbox/expected", "/tmp/../etc/shadow"}) {
            try { Files.readAllBytes(Paths.get(path)); System.out.println("read " + path); } catch (Exception e) { }
        }
        try { Files.write(Paths.get("/usr/lib/assay-was-here"), new byte[] {1}); System.out.println("wrote outside"); } catch (Exception e) { }
        String[] found = new File("/sandbox").list();
        if (found != null) for (String name : found) if (!name.equals("main.jar")) System.out.println("found " + name);
        try (Socket s = new Socket("127.0.0.1", PORT)) { System.out.println("connected"); } catch (Exception e) { }
        System.out.println(a + b);
    }
}
""",
}


SNOOPS = {"cpp": SNOOP, "c": SNOOP, **MORE_SNOOPS}


@pytest.mark.parametrize("language", list(SNOOPS))
def test_files_network_and_the_tests_are_out_of_reach(verifier, language: str) -> None:
    """The honest twin is built in: every probe must fail silently, so the output is just the sum."""
    _needs(language)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    try:
        code = SNOOPS[language].replace("PORT", str(listener.getsockname()[1]))
        verdict = verifier.verify(problem(language), fenced(language, code))
        assert verdict.passed, verdict
        with pytest.raises(BlockingIOError):
            listener.accept()
    finally:
        listener.close()


def test_go_and_the_jvm_see_one_processor(verifier) -> None:
    """Their runtimes size thread pools by the host's cores, past the run's thread limit
    on a large machine: the run says one (GOMAXPROCS, -XX:ActiveProcessorCount)."""
    one = StdioTests(cases=[StdioCase(stdin="", stdout="1\n")])
    programs = {
        "go": 'package main\n\nimport (\n\t"fmt"\n\t"runtime"\n)\n\nfunc main() {\n\tfmt.Println(runtime.GOMAXPROCS(0))\n}\n',
        "java": "public class Main { public static void main(String[] a) { System.out.println(Runtime.getRuntime().availableProcessors()); } }\n",
    }
    for language, code in programs.items():
        _needs(language)
        verdict = verifier.verify(problem(language, tests=one), fenced(language, code))
        assert verdict.passed, verdict


COMPILE_ATTACKS = {
    "includes a device that never ends": '#include "/dev/zero"\nint main() { return 0; }\n',
    "includes a file only root may read": "#include </etc/shadow>\nint main() { return 0; }\n",
    "includes a host file outside the view": '#include "/root/.bashrc"\nint main() { return 0; }\n',
    "explodes templates": ("template <int N> struct F { static const int v = F<N - 1>::v + F<N - 2>::v; };\n"
                           "template <> struct F<1> { static const int v = 1; };\ntemplate <> struct F<0> { static const int v = 0; };\n"
                           "int main() { return F<100000>::v; }\n"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(COMPILE_ATTACKS))
def test_compile_time_attacks_end_as_compile_errors(verifier, name: str) -> None:
    _needs("cpp")
    started = time.monotonic()
    verdict = verifier.verify(problem("cpp"), fenced("cpp", COMPILE_ATTACKS[name]))
    assert verdict.status is Status.compile_error, verdict
    assert time.monotonic() - started < 100  # at worst the build's own limits (30 s of CPU)


def test_javascript_hangs_time_out(verifier) -> None:
    _needs("javascript")
    verdict = verifier.verify(problem("javascript"), fenced("javascript", "while (true) {}\n"))
    assert verdict.status is Status.timeout, verdict


def test_problems_say_what_they_support() -> None:
    from pydantic import ValidationError

    from verifiers.code.problem import AssertTests

    with pytest.raises(ValidationError, match="unknown language 'cobol'"):
        problem("cobol")
    with pytest.raises(ValidationError, match="cpp problems need stdio tests"):
        CodeProblem(problem_id="x", prompt="", language="cpp", tests=AssertTests(code="assert True"))


def test_a_missing_toolchain_is_our_failure_not_the_samples(verifier) -> None:
    from verifiers.code.languages import LANGUAGES, Language

    ghost = Language(name="ghost", title="Ghost", source="main.g", build="ghostc main.g && cat main", run=["/sandbox/main"],
                     toolchain=("/usr/bin/ghostc",), fences=("ghost",))  # fmt: skip
    LANGUAGES["ghost"] = ghost
    try:
        assert ghost.missing() == "Ghost: not installed here (/usr/bin/ghostc)"
        verdict = verifier.verify(problem("ghost"), "```ghost\nprint 5\n```")
        assert verdict.status is Status.verifier_error and "Ghost toolchain not found in the sandbox" in verdict.reason, verdict
    finally:
        del LANGUAGES["ghost"]


def test_a_build_without_a_program_is_a_compile_error(verifier) -> None:
    _needs("go")
    library = "package solution\n\nfunc Add(a, b int) int { return a + b }\n"
    verdict = verifier.verify(problem("go"), fenced("go", library))
    assert verdict.status is Status.compile_error and "no runnable Go program" in verdict.reason, verdict


def test_java_classes_need_not_be_called_main(verifier) -> None:
    _needs("java")
    named = HONEST["java"].replace("public class Main", "public final class Bank")
    assert verifier.verify(problem("java"), fenced("java", named)).passed
    package_private = HONEST["java"].replace("public class Main", "class Main")
    assert verifier.verify(problem("java"), fenced("java", package_private)).passed
    solution = "// public class Wrong {}\n" + HONEST["java"].replace("public class Main", "class Solution")
    assert verifier.verify(problem("java"), fenced("java", solution)).passed  # main in a non-public class, a comment naming another
    packaged = "package contest.a;\n" + HONEST["java"].replace("public class Main", "public class Bank {\n  public static class Bucket {}\n}\nclass Run")
    assert verifier.verify(problem("java"), fenced("java", packaged)).passed  # file Bank.java, entry contest.a.Run
    # modifiers in any order, without `public class Main`: was ClassNotFoundException: Main
    reordered = HONEST["java"].replace("public class Main", "class Solution").replace("public static void", "static public void")
    assert verifier.verify(problem("java"), fenced("java", reordered)).passed
    assert java_names(reordered) == ("Solution", "Solution")
    # a helper with its own main before the public class: the public class runs, as javac-based judges run it
    helper = "class Test {\n  public static void main(String[] a) { System.out.println(0); }\n}\n" + HONEST["java"].split("\n", 1)[1]
    assert verifier.verify(problem("java"), fenced("java", "import java.util.*;\n" + helper)).passed
    assert java_names(helper) == ("Main", "Main")
    started = time.process_time()  # thousands of modifiers in a row: each start position read them all (0.6 s at 28 KB)
    java_names("public " * 40_000 + "class")
    assert time.process_time() - started < 1
    # a text block's brace is text: it once ended the class, hiding its main
    text_block = HONEST["java"].replace("public class Main {", 'class Solution {\n  static final String S = """\n    }\n    """;')
    assert verifier.verify(problem("java"), fenced("java", text_block)).passed
    assert java_names(text_block) == ("Solution", "Solution")


def test_the_jvm_heap_follows_the_memory_limit(verifier) -> None:
    """-Xmx is the problem's memory limit less 64 MB for the rest of the JVM (it was a fixed
    256 MB: a 320 MB array under a 1024 MB limit was an OutOfMemoryError)."""
    _needs("java")
    big = ("import java.util.*;\npublic class Main {\n  public static void main(String[] a) {\n    Scanner s = new Scanner(System.in);\n"
           "    long[] big = new long[40_000_000];\n    for (int i = 0; i < big.length; i += 4096) big[i] = i;\n"
           "    System.out.println(s.nextLong() + big[4096] - 4096);\n  }\n}\n")  # fmt: skip
    roomy = problem("java", StdioTests(cases=[StdioCase(stdin="7\n", stdout="7\n")])).model_copy(update={"limits": CodeLimits(cpu_s=2, memory_mb=1024)})
    assert verifier.verify(roomy, fenced("java", big)).passed
    tight = roomy.model_copy(update={"limits": CodeLimits(cpu_s=2, memory_mb=256)})
    assert verifier.verify(tight, fenced("java", big)).status in (Status.runtime_error, Status.memory_limit)
    assert "-Xmx960m" in LANGUAGES["java"].run_argv(1024) and "-Xmx192m" in LANGUAGES["java"].run_argv(256)


def test_runtimes_that_reserve_memory_need_cgroup_limits() -> None:
    """Under rlimits (no usable cgroups) the JVM and node cannot start: such samples are
    our failure to judge them, never a compile error or a wrong answer."""
    _needs("javascript")
    from sandbox.local.backend import NamespaceSandbox
    from tests.conftest import start_sandbox
    from verifiers.code.verifier import PythonCodeVerifier

    sandbox = start_sandbox(lambda: NamespaceSandbox(limits_via="rlimit", workers=1))
    try:
        verdict = PythonCodeVerifier(sandbox).verify(problem("javascript"), fenced("javascript", HONEST["javascript"]))
        assert verdict.status is Status.verifier_error and "needs the sandbox's cgroup memory limits" in verdict.reason, verdict
        assert PythonCodeVerifier(sandbox).verify(problem("c"), fenced("c", HONEST["c"])).passed  # a C program is fine there
    finally:
        sandbox.close()


def test_a_problem_that_accepts_several_languages(verifier) -> None:
    """The fence tag picks the language; the reference's time scales by the two factors."""
    _needs("cpp")
    _needs("java")
    several = problem("cpp", reference_solution=fenced("cpp", HONEST["cpp"])).model_copy(
        update={"languages": ["python", "java"], "limits": CodeLimits(memory_mb=256)})
    assert several.template_fields() == {"language": "C++ or Python or Java", "fence": "cpp or ```python or ```java"}
    python = verifier.verify(several, "```python\nprint(sum(map(int, input().split())))\n```")
    assert python.passed and python.language == "python" and python.cpu_limit_s == 1.0, python  # the floor: 4 x 3 x milliseconds
    java = verifier.verify(several, fenced("java", HONEST["java"]))
    assert java.passed and java.language == "java", java
    cpp = verifier.verify(several, fenced("cpp", HONEST["cpp"]))
    assert cpp.passed and cpp.language == "cpp"
    wrong = verifier.verify(several, "```python\nprint(0)\n```\n")
    assert wrong.status is Status.fail and wrong.language == "python"
    rust = verifier.verify(several, fenced("rust", HONEST["rust"]))  # not accepted: read as the problem's own C++
    assert not rust.passed and rust.language == "cpp"
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="unknown language 'cobol'"):
        several.model_validate({**several.model_dump(), "languages": ["cobol"]})
