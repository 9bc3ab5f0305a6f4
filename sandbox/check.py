"""`assay sandbox check`: what isolation this machine provides, proven by a self-test.

Modelled on isolate-check-environment: report what exists, run the real thing, and
exit non-zero when untrusted code could not be run safely here.
"""

from __future__ import annotations

import os
import socket
import sys
import time

from pydantic import BaseModel, ConfigDict

from sandbox.base import ExecRequest, Limits, Sandbox, SandboxError, SandboxUnavailable


class Probe(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    ok: bool
    detail: str = ""


class CheckReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    platform: str
    features: list[Probe]
    backends: list[Probe]
    self_test: list[Probe]

    @property
    def ok(self) -> bool:
        usable = any(b.ok for b in self.backends if b.name != "unsafe")
        return usable and all(t.ok for t in self.self_test) and bool(self.self_test)


def _namespace_probe(name: str, flag: int) -> Probe:
    from sandbox.local import syscalls as sc

    pid = os.fork()
    if pid == 0:  # whatever happens, the probe never returns into the caller's stack
        refused = 1
        try:
            sc.unshare(flag)
            refused = 0
        finally:
            os._exit(refused)
    _, status = os.waitpid(pid, 0)
    ok = os.waitstatus_to_exitcode(status) == 0
    return Probe(name=f"{name} namespace", ok=ok, detail="" if ok else "unshare refused (needs root / CAP_SYS_ADMIN)")


def probe_features() -> list[Probe]:
    if sys.platform != "linux":
        return [Probe(name="linux", ok=False, detail=f"platform is {sys.platform}")]
    from sandbox.local import syscalls as sc
    from sandbox.local.cgroups import CgroupTree

    probes = [Probe(name="root", ok=os.geteuid() == 0, detail=f"euid {os.geteuid()}")]
    probes += [_namespace_probe(n, f) for n, f in sc.NAMESPACE_FLAGS.items()]
    tree = CgroupTree.create(f"assay-check-{os.getpid()}") if os.geteuid() == 0 else None
    if tree is not None:
        detail = f"v{tree.version}: " + ", ".join(str(p) for p in tree.roots.values())
        tree.remove()
        probes.append(Probe(name="cgroup limits (memory, pids, cpu)", ok=True, detail=detail))
    else:
        probes.append(Probe(name="cgroup limits (memory, pids, cpu)", ok=False, detail="unavailable: rlimits used instead"))
    probes.append(Probe(name="pidfd", ok=hasattr(os, "pidfd_open"), detail="Linux >= 5.3"))
    return probes


def probe_backends() -> tuple[list[Probe], Sandbox | None]:
    backends: list[Probe] = []
    local: Sandbox | None = None
    try:
        from sandbox.local.backend import NamespaceSandbox

        local = NamespaceSandbox(workers=2)
        limits = f"cgroups v{local.cgroup_version}" if local.cgroup_version else "rlimits"
        backends.append(Probe(name="local", ok=True, detail=f"namespaces + {limits} + fork server"))
    except SandboxUnavailable as exc:
        backends.append(Probe(name="local", ok=False, detail=str(exc)))
    try:
        from sandbox.config import DockerSandboxConfig
        from sandbox.docker_backend import docker_client

        client = docker_client()
        engine, image = client.version().get("Version", "?"), DockerSandboxConfig().image
        try:
            client.images.get(image)
            backends.append(Probe(name="docker", ok=True, detail=f"engine {engine}, image {image}"))
        except Exception:  # noqa: BLE001 - not there (or unreadable): the backend cannot start
            backends.append(Probe(name="docker", ok=False, detail=f"engine {engine}, but no image {image} (make sandbox-image)"))
    except SandboxUnavailable as exc:
        backends.append(Probe(name="docker", ok=False, detail=str(exc)))
    backends.append(Probe(name="unsafe", ok=True, detail="no isolation: debugging only"))
    return backends, local


SECRET_VAR = "ASSAY_CHECK_SECRET"


def self_test(sandbox: Sandbox) -> list[Probe]:
    """Run real attacks and one honest program; each must end as expected."""
    results: list[Probe] = []
    limits = Limits(cpu_s=1, wall_s=3, memory_mb=128, max_pids=16)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    cases = [
        ("honest program runs", "print(sum(range(10)))", lambda r: r.ok and r.stdout == b"45\n"),
        ("infinite loop is killed", "while True: pass", lambda r: r.killed_by is not None and r.killed_by.value == "cpu"),
        ("memory bomb is stopped", "x = bytearray(1 << 30)", lambda r: not r.ok),
        ("fork bomb is contained", "import os\nwhile True:\n    os.fork()", lambda r: not r.ok),
        (
            "no network (loopback included)",
            f"import socket\ns = socket.socket()\ns.settimeout(1)\ns.connect(('127.0.0.1', {port}))",
            lambda r: r.exit_code == 1,
        ),
        (
            "environment and host processes hidden",
            f"import os\nprint(os.environ.get('{SECRET_VAR}'), sorted(p for p in os.listdir('/proc') if p.isdigit()))",
            lambda r: r.ok and b"s3cr3t" not in r.stdout and r.stdout.startswith(b"None"),
        ),
        ("host files read-only", "open('/etc/assay-check', 'w')", lambda r: r.exit_code == 1 and b"Read-only" in r.stderr),
        (
            "no process outlives the run",
            "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)",
            lambda r: r.ok,
        ),
    ]
    try:
        for name, source, expect in cases:
            started = time.monotonic()
            try:
                result = sandbox.run(ExecRequest(python=source, limits=limits))
                ok = bool(expect(result))
                detail = f"{result.killed_by.value if result.killed_by else 'exit ' + str(result.exit_code)}"
                detail += f" in {time.monotonic() - started:.2f}s"
            except SandboxError as exc:
                ok, detail = False, f"sandbox error: {exc}"[:300]
            results.append(Probe(name=name, ok=ok, detail=detail))
        try:
            conn, _ = listener.accept()
            conn.close()
            results.append(Probe(name="loopback listener untouched", ok=False, detail="received a connection"))
        except BlockingIOError:
            results.append(Probe(name="loopback listener untouched", ok=True))
        # Only this sandbox's: a run may be judging beside the check.
        leftovers = sandbox_processes(getattr(sandbox, "server_pid", None))
        results.append(Probe(name="no sandbox process left", ok=not leftovers, detail=", ".join(map(str, leftovers))[:200]))
    finally:
        listener.close()
    return results


def sandbox_processes(server: int | None = None) -> list[int]:
    """Host pids owned by a sandbox uid: there must be none between runs.

    With `server` (a local sandbox's fork server pid), only that sandbox's: those below
    it, and those below no live sandbox (escaped from one), but not the runs of another
    sandbox on this host, which may be judging at the same time (a pipeline beside
    `assay sandbox check`, or another test worker)."""
    from sandbox.local.protocol import UID_BASE

    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid >= UID_BASE:
                    found.append(int(entry))
            except FileNotFoundError:
                continue
    if server is None:
        return found
    ours = []
    for pid in found:
        try:
            ancestors = _ancestors(pid)
            # Another sandbox's run: below a zygote copy (zygote, slot server, init) that
            # is not ours. Only processes no sandbox uid owns count, since a candidate
            # can rewrite its own command line. The whole chain is read: an init being
            # killed has an empty command line until its children are gone.
            foreign = server not in ancestors and any(
                os.stat(f"/proc/{a}").st_uid < UID_BASE and _is_zygote(a) for a in ancestors
            )
        except (OSError, ValueError, IndexError):
            continue  # gone while we looked: not left over
        if not foreign:
            ours.append(pid)
    return ours


def _ancestors(pid: int) -> list[int]:
    chain: list[int] = []
    while pid > 1 and len(chain) < 4096:
        pid = _parent(pid)
        chain.append(pid)
    return chain


def _parent(pid: int) -> int:
    with open(f"/proc/{pid}/stat", "rb") as fh:
        return int(fh.read().rsplit(b")", 1)[1].split()[1])  # the name before ")" may hold anything


def _is_zygote(pid: int) -> bool:
    with open(f"/proc/{pid}/cmdline", "rb") as fh:
        return b"sandbox.local.zygote" in fh.read()


def run_check() -> CheckReport:
    import platform

    features = probe_features()
    # A secret in our environment when the sandbox starts must still be invisible inside.
    os.environ[SECRET_VAR] = "s3cr3t-value"
    try:
        backends, local = probe_backends()
        tests: list[Probe] = []
        if local is not None:
            with local:
                tests = self_test(local)
    finally:
        os.environ.pop(SECRET_VAR, None)
    return CheckReport(
        platform=f"{platform.system()} {platform.release()} {platform.machine()}, Python {platform.python_version()}",
        features=features,
        backends=backends,
        self_test=tests,
    )
