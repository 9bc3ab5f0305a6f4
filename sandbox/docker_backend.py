"""`DockerSandbox`: each execution in its own locked-down, pre-started container.

Containers are started ahead of time (a warm pool per set of limits) and used once:
after an execution the container is removed and a fresh one takes its place, so no
file, process or module patch can leak from one sample to the next. Every container
runs with `--network none`, a read-only root, tmpfs `/sandbox` and `/tmp`, memory and
pid limits, all capabilities dropped, `no-new-privileges`, an unprivileged user and
`--init` (so orphans are reaped and killed with the container).

Known issues:
    CPU time is limited per process with `ulimit -t` and not measured (`cpu_s` is 0);
    wall time, output and memory limits are enforced as in the local backend.
"""

from __future__ import annotations

import base64
import io
import queue
import shlex
import tarfile
import threading
import time
from typing import Any

from sandbox.base import MiB, ExecRequest, KilledBy, Limits, Sandbox, SandboxError, SandboxResult, SandboxUnavailable

_USER = "65534:65534"
_ARG_CHUNK = 96 * 1024  # below the kernel's 128 KiB limit for one argv string
_APPEND = "import sys,base64;open(sys.argv[1],'ab').write(base64.b64decode(sys.argv[2]))"
_UNPACK = (
    "import tarfile,os;t=tarfile.open('/tmp/.assay-in.tar');"
    "t.extractall('/sandbox',filter='data');os.remove('/tmp/.assay-in.tar')"
)


def docker_client(base_url: str | None = None) -> Any:
    """A connected docker client, or SandboxUnavailable saying why not."""
    try:
        import docker
    except ImportError as exc:  # pragma: no cover - docker is a core dependency
        raise SandboxUnavailable("the docker backend needs the 'docker' package (pip install docker)") from exc
    try:
        client = docker.DockerClient(base_url=base_url) if base_url else docker.from_env()
        client.ping()
        return client
    except Exception as exc:  # noqa: BLE001 - any failure means: no engine here
        raise SandboxUnavailable(f"no Docker engine answers ({type(exc).__name__}: {exc})") from exc


class DockerSandbox(Sandbox):
    name = "docker"

    def __init__(self, config: Any) -> None:
        self.config = config
        self.client = docker_client(config.base_url)
        try:
            self.client.images.get(config.image)
        except Exception as exc:  # noqa: BLE001
            raise SandboxUnavailable(
                f"docker image {config.image!r} is not present; pull it first (docker pull {config.image})"
            ) from exc
        import os

        self._pool_size = config.pool_size or max(1, len(os.sched_getaffinity(0)))
        self._pools: dict[tuple[int, int, int], queue.Queue] = {}
        self._lock = threading.Lock()
        self._closed = False

    @property
    def workers(self) -> int:
        return self._pool_size

    # -- container pool ------------------------------------------------------------

    def _key(self, limits: Limits) -> tuple[int, int, int]:
        return (limits.memory_mb, limits.max_pids, limits.scratch_mb)

    def _start_container(self, key: tuple[int, int, int]) -> Any:
        memory_mb, max_pids, scratch_mb = key
        tmpfs_opts = f"rw,nosuid,nodev,size={scratch_mb}m"
        return self.client.containers.run(
            self.config.image,
            ["sleep", "infinity"],
            detach=True,
            init=True,
            network_mode="none",
            read_only=True,
            tmpfs={"/sandbox": f"{tmpfs_opts},uid=65534,gid=65534,mode=0700", "/tmp": f"{tmpfs_opts},mode=1777"},
            mem_limit=f"{memory_mb}m",
            memswap_limit=f"{memory_mb}m",
            pids_limit=max_pids + 2,  # + init and sleep
            cap_drop=["ALL"],
            security_opt=["no-new-privileges"],
            user=_USER,
            working_dir="/sandbox",
            environment={},
            runtime=self.config.runtime,
            labels={"assay.sandbox": "1"},
        )

    def _refill(self, key: tuple[int, int, int]) -> None:
        pool = self._pools[key]
        while not self._closed and pool.qsize() < self._pool_size:
            try:
                pool.put(self._start_container(key))
            except Exception:  # noqa: BLE001 - the next take() starts one synchronously
                return

    def _take(self, key: tuple[int, int, int]) -> Any:
        with self._lock:
            if key not in self._pools:
                self._pools[key] = queue.Queue()
        try:
            container = self._pools[key].get_nowait()
        except queue.Empty:
            container = self._start_container(key)
        threading.Thread(target=self._refill, args=(key,), daemon=True).start()
        return container

    # -- one execution -------------------------------------------------------------

    def run(self, request: ExecRequest) -> SandboxResult:
        if self._closed:
            raise SandboxError("sandbox is closed")
        limits = request.limits
        try:
            container = self._take(self._key(limits))
        except Exception as exc:  # noqa: BLE001
            raise SandboxError(f"cannot start a container: {exc}") from exc
        try:
            self._upload(container, request)
            return self._execute(container, request)
        except SandboxError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise SandboxError(f"docker execution failed: {type(exc).__name__}: {exc}") from exc
        finally:
            threading.Thread(target=_discard, args=(container,), daemon=True).start()

    def _exec(self, container: Any, argv: list[str]) -> int:
        api = self.client.api
        exec_id = api.exec_create(container.id, argv, user=_USER, workdir="/sandbox", environment={})["Id"]
        api.exec_start(exec_id)
        return api.exec_inspect(exec_id)["ExitCode"]

    def _upload(self, container: Any, request: ExecRequest) -> None:
        """Files and stdin travel as a tar in argv chunks: `docker cp` cannot write into tmpfs."""
        files = dict(request.files)
        if request.python is not None:
            files["main.py"] = request.python.encode("utf-8", "surrogatepass")
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as tar:
            for name, data in [*files.items(), (".assay-stdin", request.stdin)]:
                info = tarfile.TarInfo(name)
                info.size, info.uid, info.gid, info.mode = len(data), 65534, 65534, 0o644
                tar.addfile(info, io.BytesIO(data))
        encoded = base64.b64encode(buf.getvalue()).decode()
        for start in range(0, len(encoded), _ARG_CHUNK):
            chunk = encoded[start : start + _ARG_CHUNK]
            if self._exec(container, [self.config.python, "-I", "-c", _APPEND, "/tmp/.assay-in.tar", chunk]) != 0:
                raise SandboxError("could not upload files into the container")
        if self._exec(container, [self.config.python, "-I", "-c", _UNPACK]) != 0:
            raise SandboxError("could not unpack files in the container")

    def _execute(self, container: Any, request: ExecRequest) -> SandboxResult:
        limits = request.limits
        argv = request.argv or [self.config.python, "-I", "main.py"]
        cpu = max(1, int(limits.cpu_s + 0.999))
        script = (
            f"mv .assay-stdin /tmp/.assay-stdin; ulimit -t {cpu} -n {limits.open_files} -c 0; "
            f"exec {shlex.join(argv)} < /tmp/.assay-stdin"
        )
        api = self.client.api
        exec_id = api.exec_create(container.id, ["sh", "-c", script], user=_USER, workdir="/sandbox", environment={})["Id"]
        outs = {0: bytearray(), 1: bytearray()}
        cut = {0: False, 1: False}
        killed: list[KilledBy] = []

        def kill(reason: KilledBy) -> None:
            if not killed:
                killed.append(reason)
            try:
                container.kill()
            except Exception:  # noqa: BLE001, S110 - already gone
                pass

        def pump() -> None:
            for pair in api.exec_start(exec_id, stream=True, demux=True):
                for i, chunk in enumerate(pair):
                    if not chunk:
                        continue
                    room = limits.output_bytes - len(outs[i])
                    outs[i] += chunk[: max(room, 0)]
                    if len(chunk) > room:
                        cut[i] = True
                        kill(KilledBy.output)
                        return

        started = time.monotonic()
        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        reader.join(timeout=limits.wall_limit_s)
        if reader.is_alive():
            kill(KilledBy.wall)
            reader.join(timeout=10)
        wall = time.monotonic() - started
        code = api.exec_inspect(exec_id).get("ExitCode")
        signum = code - 128 if code is not None and code > 128 else None
        killed_by = killed[0] if killed else None
        if killed_by is None and signum == 9:
            killed_by = KilledBy.memory  # nothing but the OOM killer sends SIGKILL here
        elif killed_by is None and signum == 24:
            killed_by = KilledBy.cpu  # SIGXCPU from ulimit -t
        return SandboxResult(
            exit_code=None if (signum or killed_by) else code,
            signal=signum or (9 if killed_by else None),
            killed_by=killed_by,
            stdout=bytes(outs[0]),
            stderr=bytes(outs[1]),
            stdout_truncated=cut[0],
            stderr_truncated=cut[1],
            wall_s=round(wall, 4),
            max_rss_mb=0.0,
            backend="docker",
        )

    def close(self) -> None:
        self._closed = True
        for pool in self._pools.values():
            while not pool.empty():
                _discard(pool.get_nowait())


def _discard(container: Any) -> None:
    try:
        container.remove(force=True)
    except Exception:  # noqa: BLE001, S110 - removal is best effort; the label finds leftovers
        pass


__all__ = ["DockerSandbox", "docker_client", "MiB"]
