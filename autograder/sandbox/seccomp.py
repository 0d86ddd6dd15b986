"""Without bubblewrap: a seccomp filter that closes the network and other processes' memory.

A process that installs it (and everything it starts, for good) gets EPERM from socket() and
socketpair(), io_uring_setup() (which could open sockets itself), ptrace() and
process_vm_readv/writev(); a system call of another architecture (x32, i386) is refused whole.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import subprocess
import sys

# struct sock_filter {u16 code; u8 jt; u8 jf; u32 k}, as in linux/filter.h and linux/seccomp.h
LOAD, JUMP_EQ, JUMP_GE, RETURN = 0x20, 0x15, 0x35, 0x06
ARCH_OFFSET, NR_OFFSET = 4, 0
ALLOW, DENY = 0x7FFF0000, 0x00050000 | errno.EPERM
X32_BIT = 0x40000000
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, FILTER_MODE = 38, 22, 2

# (audit arch, system calls refused): socket, socketpair, ptrace, process_vm_readv/writev,
# io_uring_setup
ARCHES = {
    "x86_64": (0xC000003E, (41, 53, 101, 310, 311, 425)),
    "aarch64": (0xC00000B7, (198, 199, 117, 270, 271, 425)),
}


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


def _instructions(arch: int, refused: tuple[int, ...]) -> bytes:
    def op(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    deny = len(refused) + 5  # the index of the last instruction; a jump counts from pc + 1
    body = [op(LOAD, ARCH_OFFSET), op(JUMP_EQ, arch, 0, deny - 2), op(LOAD, NR_OFFSET),
            op(JUMP_GE, X32_BIT, deny - 4, 0)]  # fmt: skip
    body += [op(JUMP_EQ, nr, deny - 5 - i, 0) for i, nr in enumerate(refused)]
    return b"".join([*body, op(RETURN, ALLOW), op(RETURN, DENY)])


def _filter() -> bytes | None:
    found = ARCHES.get(platform.machine())
    return _instructions(*found) if found and sys.platform == "linux" else None


FILTER = _filter()


def install() -> None:
    """Install the filter in this process; raises OSError if the kernel refuses it."""
    if FILTER is None:
        raise OSError(errno.ENOSYS, f"no seccomp filter for {platform.machine()}")
    libc = ctypes.CDLL(None, use_errno=True)
    program = _Program(len(FILTER) // 8, FILTER)
    where = ctypes.addressof(program)
    for option, value, arg in ((PR_SET_NO_NEW_PRIVS, 1, 0), (PR_SET_SECCOMP, FILTER_MODE, where)):
        if libc.prctl(*map(ctypes.c_ulong, (option, value, arg, 0, 0))) != 0:
            raise OSError(ctypes.get_errno(), "prctl refused the seccomp filter")


def works() -> bool:
    """Whether a child that installs the filter is refused a socket (and still runs Python)."""
    if FILTER is None:
        return False
    probe = "import socket\ntry:\n socket.socket()\nexcept PermissionError:\n print('closed')"
    try:
        ran = subprocess.run([sys.executable, "-I", "-c", probe], preexec_fn=install,
                             capture_output=True, text=True, timeout=30)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return ran.stdout.strip() == "closed"
