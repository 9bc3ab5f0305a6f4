"""A seccomp filter for candidates: kernel surface no honest program needs.

Namespaces, an unprivileged uid and no_new_privs are the boundary; this filter closes
what they leave open (found by review):

* the kernel keyring is not namespaced: a key added by one run survived it and was
  readable by a later run that got the same uid (`add_key`, `keyctl`, `request_key`);
* address families other than unix, inet, inet6 and netlink reach outside the network
  namespace (`AF_VSOCK` talks to the hypervisor);
* namespace creation, mounts, ptrace, bpf, perf, userfaultfd and io_uring are large
  attack surfaces that verified programs never use. `clone3` answers ENOSYS so that
  libc falls back to `clone`, whose flags the filter can see.

The filter is compiled once with libseccomp (through `pyseccomp`) in the zygote and
installed in each candidate with a single prctl.
"""

from __future__ import annotations

import ctypes
import errno
import os
import tempfile

DENIED_SYSCALLS = (
    "add_key", "request_key", "keyctl",
    "ptrace", "process_vm_readv", "process_vm_writev",
    "bpf", "perf_event_open", "userfaultfd",
    "io_uring_setup", "io_uring_enter", "io_uring_register",
    "unshare", "setns", "mount", "umount2", "pivot_root", "chroot",
    "open_by_handle_at", "name_to_handle_at", "kexec_load", "init_module", "finit_module",
    "delete_module", "acct", "swapon", "swapoff", "reboot", "syslog", "quotactl",
)
ALLOWED_FAMILIES = (1, 2, 10, 16)  # AF_UNIX, AF_INET, AF_INET6, AF_NETLINK
_NAMESPACE_CLONE_FLAGS = 0x7E020000  # CLONE_NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET

_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def compile_filter() -> bytes:
    """The BPF program, as raw `struct sock_filter` instructions."""
    import pyseccomp as sc

    f = sc.SyscallFilter(defaction=sc.ALLOW)
    for name in DENIED_SYSCALLS:
        try:
            f.add_rule(sc.ERRNO(errno.EPERM), name)
        except (RuntimeError, ValueError, OSError):
            continue  # not a syscall on this architecture
    f.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    f.add_rule(sc.ERRNO(errno.EPERM), "clone", sc.Arg(0, sc.MASKED_EQ, _NAMESPACE_CLONE_FLAGS, _NAMESPACE_CLONE_FLAGS))
    for family in range(0, 64):
        if family not in ALLOWED_FAMILIES:
            f.add_rule(sc.ERRNO(errno.EAFNOSUPPORT), "socket", sc.Arg(0, sc.EQ, family))
    f.add_rule(sc.ERRNO(errno.EAFNOSUPPORT), "socket", sc.Arg(0, sc.GE, 64))
    with tempfile.TemporaryFile() as fh:
        f.export_bpf(fh)
        fh.seek(0)
        return fh.read()


class Filter:
    """A compiled filter kept in memory, installable in a child without libseccomp."""

    def __init__(self, bpf: bytes) -> None:
        if not bpf or len(bpf) % 8:
            raise ValueError("not a BPF program")
        self._buf = ctypes.create_string_buffer(bpf, len(bpf))
        self._prog = _SockFprog(len(bpf) // 8, ctypes.cast(self._buf, ctypes.c_void_p))
        self._libc = ctypes.CDLL(None, use_errno=True)

    def install(self) -> None:
        """Needs PR_SET_NO_NEW_PRIVS (or CAP_SYS_ADMIN); applies to this process and its children."""
        if self._libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(self._prog), 0, 0) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"seccomp: {os.strerror(err)}")
