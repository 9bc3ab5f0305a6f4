"""One writer per run directory.

Local directories use `flock` on `OUT/.assay.lock`: the kernel releases it when the
holder dies, even by `kill -9`, so a crashed run never blocks its rerun. Object stores
have no locks; there a lease file with a heartbeat stands in (best effort: two runs
starting in the same instant can both win, which the manifest's commit order then
reveals).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket

import pyarrow.fs as pafs

LEASE_STALE_AFTER = dt.timedelta(minutes=10)


class RunLocked(RuntimeError):
    """Another process is writing this run directory."""


class RunLock:
    def __init__(self, fs: pafs.FileSystem, root: str, local: bool) -> None:
        self.fs, self.root, self.local = fs, root, local
        self._fd: int | None = None

    def acquire(self) -> None:
        if self.local:
            path = os.path.join(self.root, ".assay.lock")
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
                os.close(fd)
                raise RunLocked(f"{self.root} is being written by {holder}; wait for it or use another --out") from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()}\n".encode(), 0)
            self._fd = fd
            return
        lease = f"{self.root}/_lease.json"
        info = self.fs.get_file_info(lease)
        if info.type != pafs.FileType.NotFound:
            with self.fs.open_input_stream(lease) as stream:
                holder = json.loads(stream.read() or b"{}")
            beat = dt.datetime.fromisoformat(holder.get("heartbeat", "1970-01-01T00:00:00+00:00"))
            if dt.datetime.now(dt.timezone.utc) - beat < LEASE_STALE_AFTER:
                raise RunLocked(f"{self.root} is leased by {holder.get('owner')} (heartbeat {beat:%H:%M:%S} UTC)")
        self.heartbeat()

    def heartbeat(self) -> None:
        if self.local:
            return
        payload = {
            "owner": f"pid {os.getpid()} on {socket.gethostname()}",
            "heartbeat": dt.datetime.now(dt.timezone.utc).isoformat(),
        }
        with self.fs.open_output_stream(f"{self.root}/_lease.json") as stream:
            stream.write(json.dumps(payload).encode())

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        elif not self.local:
            try:
                self.fs.delete_file(f"{self.root}/_lease.json")
            except OSError:
                pass
