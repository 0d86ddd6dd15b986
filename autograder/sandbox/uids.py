"""Without bubblewrap: each sandbox runs as a uid of its own, so no two students share one."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pwd
import signal
from dataclasses import dataclass
from pathlib import Path

FIRST = 1_900_000_000  # sandbox uids (and gids) count up from here; no account uses them
SLOTS = 4096
LOCKS = Path("/run/nnkit-sandbox-uids")  # one lock file per uid in use, root's own folder


@dataclass
class SandboxUid:
    """A uid held for one sandbox (by a lock released when the grader closes it or dies)."""

    uid: int
    lock_fd: int

    def release(self) -> None:
        """Kill every process still running as this uid, then free it; safe to call twice."""
        if self.lock_fd < 0:
            return
        kill_all(self.uid)
        os.close(self.lock_fd)
        self.lock_fd = -1


def kill_all(uid: int) -> None:
    """SIGKILL every process running as `uid` (a child that becomes `uid` and kills -1)."""
    child = os.fork()
    if child == 0:  # pragma: no cover - exits through os._exit
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            with contextlib.suppress(ProcessLookupError):
                os.kill(-1, signal.SIGKILL)  # every process this uid may signal: its own
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _lock_folder() -> Path:
    LOCKS.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = LOCKS.lstat()
    if info.st_uid != 0 or info.st_mode & 0o077 or LOCKS.is_symlink():
        raise RuntimeError(f"{LOCKS} must be a folder of root's, private to root.")
    return LOCKS


def claim() -> SandboxUid:
    """A free sandbox uid, held until released; its leftover processes are killed first."""
    folder = _lock_folder()
    for uid in range(FIRST, FIRST + SLOTS):
        with contextlib.suppress(KeyError):
            pwd.getpwuid(uid)
            continue  # an account uses it
        fd = os.open(folder / str(uid), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        kill_all(uid)  # a process left by the uid's last sandbox must not see the next one
        return SandboxUid(uid, fd)
    raise RuntimeError(f"All {SLOTS} sandbox uids are in use.")
