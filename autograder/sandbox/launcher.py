"""Start the sandbox process: bubblewrap where it exists, process limits everywhere."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import resource
import shutil
import signal
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

from autograder.config import Limits
from autograder.sandbox import cgroup, seccomp, uids
from autograder.sandbox.cgroup import SandboxCgroup
from autograder.sandbox.uids import SandboxUid

HOME = "/home/student"
KEEP_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")  # numpy on some CPUs needs these
SANDBOX_ENV = {
    "HOME": HOME,
    "PATH": "/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "MPLBACKEND": "Agg",
}
NOBODY = 65534
NO_BWRAP_ENV = "NNKIT_NO_BWRAP"  # set to 1: act as if bubblewrap were missing (tests, diagnosis)


class IsolationWarning(UserWarning):
    """Grading runs with weaker isolation than bubblewrap gives."""


@dataclass(frozen=True)
class Isolation:
    """How submissions are isolated on this machine, and what is missing."""

    bwrap: str | None
    cgroups: bool
    gaps: tuple[str, ...]
    drop_uid: int | None = None  # without bubblewrap: the first uid sandboxes run as (uids.py)
    seccomp: bool = False  # without bubblewrap: no sockets, no ptrace (seccomp.py)
    warm: bool = False  # a zygote per grading worker forks each submission (zygote.py)
    cold_reason: str = ""  # with bubblewrap but not warm: why not

    @property
    def summary(self) -> str:
        mode = "bubblewrap" if self.bwrap else "process limits only"
        if self.warm:
            mode += ", warm (one zygote per worker forks each submission its own sandbox)"
        elif self.bwrap:
            mode += f", cold (a new sandbox per submission: {self.cold_reason or 'warm off'})"
        return mode + (f" (weaker: {'; '.join(self.gaps)})" if self.gaps else "")


def detect_isolation(*, warm: bool = True) -> Isolation:
    """Find out what this machine offers, and warn loudly about every gap; `warm`: try a zygote."""
    bwrap = None if os.environ.get(NO_BWRAP_ENV) == "1" else shutil.which("bwrap")
    if (
        bwrap
        and subprocess.run(
            [bwrap, "--unshare-all", "--ro-bind", "/", "/", "true"], capture_output=True
        ).returncode
        != 0
    ):
        bwrap = None
    if not warm:
        return dataclasses.replace(_isolation(bwrap), cold_reason="asked for (--cold)")
    from autograder.sandbox import zygote  # it builds on this module

    return zygote.probe(_isolation(bwrap))


def fallback_isolation() -> Isolation:
    """Isolation without bubblewrap, as on a machine that lacks it (warns loudly)."""
    return _isolation(None)


def _isolation(bwrap: str | None) -> Isolation:
    cgroups = bool(cgroup.layout())
    cgroup.sweep()
    drop_uid = None if bwrap else _droppable_uid()
    closed = not bwrap and seccomp.works()
    gaps = []
    if not bwrap:
        gaps += ["no bubblewrap: student code sees the grader's file system"
                 + (" (the network is closed by a seccomp filter)" if closed
                    else " and can reach the network")]  # fmt: skip
    if not bwrap and os.geteuid() == 0 and drop_uid is None:
        gaps += [
            "the Python runtime is not readable by an unprivileged user, so student code "
            "runs as root"
        ]
    if not bwrap and not cgroups:
        gaps += ["no pid namespace or cgroup: a process that calls setsid can outlive grading"]
    if not cgroup.limits_processes() and os.geteuid() == 0 and drop_uid is None:
        gaps += ["running as root without cgroups: the number of processes is not limited"]
    for gap in gaps:
        warnings.warn(
            f"SANDBOX IS WEAKER THAN IT SHOULD BE: {gap}. "
            "Install bubblewrap (apt-get install bubblewrap).",
            IsolationWarning,
            stacklevel=2,
        )
    return Isolation(bwrap, cgroups, tuple(gaps), drop_uid, seccomp=closed)


def _world_usable(path: Path) -> bool:
    """Whether any user can reach `path` (every folder above it searchable, it readable)."""
    path = path.resolve()
    if not all(p.stat().st_mode & 0o001 for p in path.parents):
        return False
    return bool(path.stat().st_mode & 0o004)


def _droppable_uid() -> int | None:
    """Where we are root and any user can use the runtime: the first sandbox uid."""
    if os.geteuid() != 0:
        return None
    import numpy

    needed = [Path(sys.executable), Path(sys.base_prefix), Path(numpy.__file__).parent]
    return uids.FIRST if all(_world_usable(p) for p in needed) else None


def _masks(mounted: list[Path], secret: list[Path]) -> list[str]:
    """tmpfs over every secret folder that lies inside a folder the sandbox can see."""
    args = []
    for s in secret:
        if s.is_dir() and any(s.resolve().is_relative_to(m) for m in mounted):
            args += ["--tmpfs", str(s.resolve())]
    return args


def bwrap_command(
    bwrap: str, scratch: Path, worker_argv: list[str], limits: Limits, secret: list[Path]
) -> list[str]:
    """The bubblewrap command line: read-only runtime, small private tmpfs mounts, no network."""
    runtime = sorted({Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()})
    mounted = [Path("/usr"), *runtime]
    size = str(limits.scratch_bytes)
    cmd = [bwrap, "--unshare-all", "--unshare-user", "--uid", "1000", "--gid", "1000",
           "--disable-userns", "--die-with-parent", "--new-session", "--hostname", "sandbox",
           "--clearenv",
           "--proc", "/proc", "--dev", "/dev"]  # fmt: skip
    for writable in ("/tmp", "/dev/shm", HOME):  # each a tmpfs of limited size, mounted first
        cmd += ["--size", size, "--tmpfs", writable]  # so that a runtime under /tmp shows on top
    cmd += ["--ro-bind", "/usr", "/usr"]
    for link in ("bin", "lib", "lib64", "sbin"):
        target = Path("/", link)
        if target.is_symlink():
            cmd += ["--symlink", os.readlink(target), str(target)]
        elif target.is_dir():
            cmd += ["--ro-bind", str(target), str(target)]
            mounted.append(target)
    for path in runtime:
        cmd += ["--ro-bind", str(path), str(path)]
    cmd += _masks(mounted, secret)
    cmd += ["--ro-bind", str(scratch), f"{HOME}/.grader", "--remount-ro", "/dev",
            "--remount-ro", "/", "--chdir", HOME]  # fmt: skip
    for key, value in _environment().items():
        cmd += ["--setenv", key, value]
    return [*cmd, "--", *worker_argv]


def _environment() -> dict[str, str]:
    return {**SANDBOX_ENV, **{k: os.environ[k] for k in KEEP_ENV if k in os.environ}}


def _set_limits(
    limits: Limits, group: SandboxCgroup | None, drop_uid: int | None, closed: bool
) -> None:
    """Runs in the child between fork and exec; `closed`: install the seccomp filter last."""
    if group:
        group.join()
    os.setsid()
    for which, value in (
        (resource.RLIMIT_AS, limits.memory_bytes),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.file_bytes),
        (resource.RLIMIT_NOFILE, limits.open_files),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(which, (value, value))
    if drop_uid is not None:
        os.setgroups([])
        os.setgid(drop_uid)
        os.setuid(drop_uid)
    if os.geteuid() != 0:
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    if closed:
        seccomp.install()


@dataclass
class Launched:
    """A running sandbox: its process, its pipes, and its cgroup if any."""

    process: subprocess.Popen
    request_fd: int
    reply_fd: int
    cgroup: SandboxCgroup | None
    uid: SandboxUid | None = None  # without bubblewrap: the uid this sandbox alone runs as

    def kill(self) -> None:
        """Kill the sandbox and everything it started; safe to call twice."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.wait()
        if self.cgroup:
            self.cgroup.destroy()
        if self.uid:  # kills whatever escaped the process group, then frees the uid
            self.uid.release()
        for fd in (self.request_fd, self.reply_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


def launch(isolation: Isolation, scratch: Path, limits: Limits, secret: list[Path]) -> Launched:
    """Start the worker on the program in `scratch`, limited and, where possible, walled in."""
    req_r, req_w = os.pipe()
    rep_r, rep_w = os.pipe()
    held: SandboxUid | None = None
    if isolation.bwrap:
        where = f"{HOME}/.grader"
        argv = [
            sys.executable,
            "-I",
            f"{where}/worker.py",
            str(req_r),
            str(rep_w),
            f"{where}/program.json",
        ]
        cmd, env, cwd = bwrap_command(isolation.bwrap, scratch, argv, limits, secret), {}, None
    else:
        cmd = [
            sys.executable,
            "-I",
            str(scratch / "worker.py"),
            str(req_r),
            str(rep_w),
            str(scratch / "program.json"),
        ]
        env, cwd = {**_environment(), "HOME": str(scratch)}, scratch
        if isolation.drop_uid is not None:  # a uid of its own: no other sandbox can read it
            held = uids.claim()
            for path in [scratch, *scratch.iterdir()]:
                os.chown(path, held.uid, held.uid)
    group = (
        SandboxCgroup(processes=limits.processes, memory_bytes=limits.memory_bytes)
        if isolation.cgroups
        else None
    )
    try:
        process = subprocess.Popen(
            cmd,
            env=env,
            cwd=cwd,
            pass_fds=(req_r, rep_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=lambda: _set_limits(
                limits, group, held.uid if held else None, isolation.seccomp
            ),
        )
    except BaseException:
        if held:
            held.release()
        raise
    os.close(req_r)
    os.close(rep_w)
    return Launched(process, req_w, rep_r, group, held)
