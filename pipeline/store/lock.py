"""One writer per run directory.

Local directories use `flock` on `OUT/.assay.lock`: the kernel releases it when the
holder dies, even by `kill -9`, so a crashed run never blocks its rerun.

Object stores have no locks; there a lease object (`_lease.json`: owner, a random
token, a heartbeat) stands in. A background thread renews it every minute; it is stale
after 10 minutes without renewal. Before every commit the holder checks the lease still
carries its token (`check`), and it deletes the lease only if it does. Together with
shard names that carry the writer's token (see RunStore), a writer that lost its lease
can neither overwrite another's shards nor commit. Best effort still: two writers that
start in the same instant can both believe they won, because object stores offer no
atomic create through pyarrow.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import secrets
import socket
import threading

import pyarrow.fs as pafs

LEASE_STALE_AFTER = dt.timedelta(minutes=10)
HEARTBEAT_EVERY_S = 60.0


class RunLocked(RuntimeError):
    """Another process is writing this run directory (or took over our lease)."""


class RunLock:
    def __init__(self, fs: pafs.FileSystem, root: str, local: bool) -> None:
        self.fs, self.root, self.local = fs, root, local
        self.token = secrets.token_hex(8)
        self.owner = f"pid {os.getpid()} on {socket.gethostname()}"
        self._fd: int | None = None
        self._stop = threading.Event()
        self._beater: threading.Thread | None = None

    @property
    def lease_path(self) -> str:
        return f"{self.root}/_lease.json"

    def acquire(self) -> None:
        if self.local:
            self._acquire_flock()
            return
        holder = self._read_lease()
        if holder is not None:
            beat = dt.datetime.fromisoformat(holder.get("heartbeat", "1970-01-01T00:00:00+00:00"))
            if dt.datetime.now(dt.UTC) - beat < LEASE_STALE_AFTER:
                raise RunLocked(f"{self.root} is leased by {holder.get('owner')} (heartbeat {beat:%H:%M:%S} UTC)")
        self._write_lease()
        self._beater = threading.Thread(target=self._beat, name="assay-lease", daemon=True)
        self._beater.start()

    def _acquire_flock(self) -> None:
        fd = os.open(os.path.join(self.root, ".assay.lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise RunLocked(f"{self.root} is being written by {holder}; wait for it or use another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{self.owner}\n".encode(), 0)
        self._fd = fd

    def _read_lease(self) -> dict | None:
        if self.fs.get_file_info(self.lease_path).type == pafs.FileType.NotFound:
            return None
        with self.fs.open_input_stream(self.lease_path) as stream:
            try:
                return json.loads(stream.read() or b"{}")
            except ValueError:
                return {}

    def _write_lease(self) -> None:
        payload = {"owner": self.owner, "token": self.token, "heartbeat": dt.datetime.now(dt.UTC).isoformat()}
        with self.fs.open_output_stream(self.lease_path) as stream:
            stream.write(json.dumps(payload).encode())

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_EVERY_S):
            try:
                if (self._read_lease() or {}).get("token") != self.token:
                    return  # taken over: `check` fails at the next commit
                self._write_lease()
            except OSError:
                pass  # a transient storage error; the next beat tries again

    def check(self) -> None:
        """Raise unless we still hold the lock (always true for flock)."""
        if self.local:
            return
        holder = self._read_lease() or {}
        if holder.get("token") != self.token:
            raise RunLocked(f"lost the lease on {self.root} to {holder.get('owner', 'another writer')}; nothing more is committed")

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
            return
        if self.local:
            return
        self._stop.set()
        if self._beater is not None:
            self._beater.join()  # no heartbeat may land after the lease is deleted
        try:
            if (self._read_lease() or {}).get("token") == self.token:
                self.fs.delete_file(self.lease_path)
        except OSError:
            pass
