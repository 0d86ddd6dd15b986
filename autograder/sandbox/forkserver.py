"""Runs inside a bubblewrap sandbox as a zygote: imports numpy and the worker once, then forks a
fresh, walled-in worker per submission. It never runs student code itself.

Copied into the sandbox beside worker.py and wire.py, so it imports nothing from the kit.
Each submission gets three processes: a keeper in the zygote's namespaces (the one the trusted
side moves into the submission's cgroup before anything else happens), an init in new mount,
pid, ipc, network and uts namespaces that mounts private tmpfs folders and drops every
capability, and the worker itself. The submission cannot name the zygote (another pid
namespace, an empty /proc), holds none of its file descriptors, and shares no memory with it.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import signal
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import itertools

import numpy as np
import worker

HOME = "/home/student"
NEW_NAMESPACES = (
    0x00020000 | 0x20000000 | 0x08000000 | 0x40000000 | 0x04000000
)  # mount, pid, ipc, network, uts
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 1, 2, 4, 8, 0x4000, 1 << 18
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 4, 24, 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
CAP_VERSION_3 = 0x20080522
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
ALLOW, EPERM = 0x7FFF0000, 0x00050001  # seccomp: run the call; fail it with EPERM
LOAD, JEQ, JGE, JGT, RET = 0x20, 0x15, 0x35, 0x25, 0x06  # classic BPF opcodes
X86_64, AARCH64 = 0xC000003E, 0xC00000B7  # audit architectures
# Keyrings belong to the user (one for every child of the zygote): add_key, request_key and
# keyctl fail, so that no submission can leave a key for the next (x32 system calls fail too).
NO_KEYRINGS = (
    (LOAD, 0, 0, 4),
    (JEQ, 0, 6, X86_64),
    (LOAD, 0, 0, 0),
    (JGE, 9, 0, 0x40000000),
    (JEQ, 8, 0, 248),
    (JEQ, 7, 0, 249),
    (JEQ, 6, 0, 250),
    (RET, 0, 0, ALLOW),
    (JEQ, 0, 3, AARCH64),
    (LOAD, 0, 0, 0),
    (JGE, 0, 1, 217),
    (JGT, 0, 1, 219),
    (RET, 0, 0, ALLOW),
    (RET, 0, 0, EPERM),
)
LIMITS = {
    "memory_bytes": resource.RLIMIT_AS,
    "cpu_seconds": resource.RLIMIT_CPU,
    "file_bytes": resource.RLIMIT_FSIZE,
    "open_files": resource.RLIMIT_NOFILE,
}

libc = ctypes.CDLL(None, use_errno=True)


def _ok(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _mount_tmpfs(path: str, options: str, flags: int = MS_NOSUID | MS_NODEV) -> None:
    _ok(libc.mount(b"tmpfs", path.encode(), b"tmpfs", flags, options.encode()), f"mount {path}")


class _SockFilter(ctypes.Structure):
    _fields_ = (
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    )


class _SockFprog(ctypes.Structure):
    _fields_ = (("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter)))


def _forbid_keyrings() -> None:
    program = (_SockFilter * len(NO_KEYRINGS))(*(_SockFilter(*i) for i in NO_KEYRINGS))
    fprog = _SockFprog(len(NO_KEYRINGS), program)
    _ok(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0), "seccomp")


def _drop_privileges() -> None:
    """No capability in any set, none to regain: bounding and ambient sets emptied, no new privs."""
    _ok(libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient caps")
    for cap in range(64):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break  # past the last capability this kernel knows
    header = (ctypes.c_uint32 * 2)(CAP_VERSION_3, 0)
    _ok(libc.capset(header, (ctypes.c_uint32 * 6)()), "capset")
    _ok(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no new privileges")
    _forbid_keyrings()


def _close_all_but(keep: list[int]) -> None:
    """Close every descriptor above stderr except `keep`: the zygote's stay out of reach."""
    edges = [2, *sorted(keep), resource.getrlimit(resource.RLIMIT_NOFILE)[0]]
    for low, high in itertools.pairwise(edges):
        os.closerange(low + 1, high)


def _run_worker(request_fd: int, reply_fd: int, program: dict) -> None:
    """The submission's process: a new session, a fresh environment, the worker's usual loop."""
    os.setsid()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.clear()
    os.environ.update(program["env"])
    os.chdir(HOME)
    sys.argv = [f"{HOME}/.grader/worker.py", str(request_fd), str(reply_fd), "program.json"]
    sys.modules["__main__"] = worker  # the same process the submission sees on the cold path
    worker.serve(request_fd, reply_fd, program)


def _init(request_fd: int, reply_fd: int, program: dict) -> None:
    """Pid 1 of the submission's namespaces: private folders, no capabilities, then reap."""
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _ok(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make mounts private")
    size = f"size={int(program['scratch_bytes'])},mode=1777"
    for path in ("/tmp", "/dev/shm", HOME):
        _mount_tmpfs(path, size)
    _mount_tmpfs("/proc", "size=4k,mode=555", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)
    options = b"newinstance,ptmxmode=0666,mode=0620"  # ptys of its own, not its neighbours'
    _ok(libc.mount(b"devpts", b"/dev/pts", b"devpts", MS_NOSUID | MS_NOEXEC, options), "devpts")
    for path in program["hide"]:
        if os.path.isdir(path):
            _mount_tmpfs(path, "size=4k,mode=555", MS_RDONLY | MS_NOSUID | MS_NODEV)
    _drop_privileges()
    for name, which in LIMITS.items():
        value = int(program["limits"][name])
        resource.setrlimit(which, (value, value))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # the submission cannot ptrace its init
    pid = os.fork()
    if pid == 0:
        libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
        _run_worker(request_fd, reply_fd, program)
        os._exit(0)
    os.close(request_fd)
    os.close(reply_fd)
    while True:  # orphans of the submission are reparented here; the namespace dies with us
        done, status = os.wait()
        if done == pid:
            os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _keeper(request_fd: int, reply_fd: int) -> None:
    """The forked child, in the zygote's namespaces: waits to be moved into its own cgroup."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    _close_all_but([request_fd, reply_fd])
    program = worker._read_frame(request_fd)  # sent once this process is in its own cgroup
    _ok(libc.unshare(NEW_NAMESPACES), "unshare")
    pid = os.fork()  # the first child in a new pid namespace is its init
    if pid == 0:
        _init(request_fd, reply_fd, program)
    os.close(request_fd)
    os.close(reply_fd)
    _, status = os.waitpid(pid, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _fork(request_fd: int, reply_fd: int) -> int:
    pid = os.fork()
    if pid == 0:
        try:
            _keeper(request_fd, reply_fd)
        finally:
            os._exit(70)
    os.close(request_fd)
    os.close(reply_fd)
    return pid


def main() -> None:
    control = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    np.random.default_rng(0)  # the first generator costs ~40 ms: pay it once here
    control.send(json.dumps({"ready": os.getpid()}).encode())
    while True:
        message, fds, _, _ = socket.recv_fds(control, 64, 2)
        if message != b"fork" or len(fds) != 2:
            return
        control.send(json.dumps({"forked": _fork(*fds)}).encode())


if __name__ == "__main__":
    main()
