"""Warm sandboxes: one bubblewrap sandbox per grading worker holds a zygote that has imported
numpy; it forks each submission a fresh, walled-in worker (see forkserver.py).

The trusted side moves every forked child into its own cgroup (processes and memory) before the
child may go on, and kills it through that cgroup. Where any of this cannot be set up, grading
falls back to one cold sandbox per submission, and says so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

from autograder import wire
from autograder.config import Limits
from autograder.sandbox import cgroup
from autograder.sandbox.cgroup import SandboxCgroup
from autograder.sandbox.launcher import (
    HOME,
    Isolation,
    IsolationWarning,
    _environment,
    _masks,
    bwrap_command,
)

HERE = Path(__file__).parent
FILES = (HERE / "forkserver.py", HERE / "worker.py", HERE / "numpy_errors.py", Path(wire.__file__))
START_SECONDS = 30.0  # the zygote's first import of numpy, on a loaded machine
FORK_SECONDS = 10.0


class ZygoteError(RuntimeError):
    """The zygote could not be started or stopped answering."""


@dataclasses.dataclass
class WarmBox:
    """One submission's forked worker, as the session sees a sandbox: two pipes and a kill."""

    request_fd: int
    reply_fd: int
    cgroup: SandboxCgroup
    killed: bool = False

    def kill(self) -> None:
        """Kill the worker and everything it started (through its cgroup); safe to call twice.

        Everything in the cgroup gets SIGKILL now; waiting for the processes to be gone and
        removing the cgroup happen in the background (`reap` waits for that).
        """
        if self.killed:
            return
        self.killed = True
        for fd in (self.request_fd, self.reply_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        for pid in self.cgroup.pids():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        thread = threading.Thread(target=self.cgroup.destroy)
        thread.start()
        _destroying[:] = [t for t in _destroying if t.is_alive()] + [thread]


_destroying: list[threading.Thread] = []  # killed sandboxes' cgroups being emptied and removed


def reap() -> None:
    """Wait until every killed warm sandbox is gone and its cgroup removed."""
    while _destroying:
        _destroying.pop().join()


def _nspid(pid: int) -> list[int]:
    """The pid of `pid` in each pid namespace it is in, outermost first."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("NSpid:"):
                return [int(p) for p in line.split()[1:]]
    return []


@functools.cache
def _mounted() -> list[Path]:
    """The host folders bwrap_command shows inside the sandbox."""
    runtime = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()}
    links = [Path("/", d) for d in ("bin", "lib", "lib64", "sbin")]
    return [Path("/usr"), *runtime, *(p for p in links if p.is_dir() and not p.is_symlink())]


class Zygote:
    """The warm sandbox of one grading worker."""

    def __init__(self, isolation: Isolation, secret: list[Path]) -> None:
        assert isolation.bwrap
        limits = Limits()  # the zygote's own: each child gets the limits of its launch
        self.scratch = Path(tempfile.mkdtemp(prefix="nnkit-zygote-"))
        for path in FILES:
            shutil.copy(path, self.scratch / path.name)
        self.control, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._lock = threading.Lock()  # one fork request at a time on the control socket
        self._spare: tuple[threading.Thread, Limits, list] | None = None
        # the zygote and its not-yet-moved children: never student code
        self.group = SandboxCgroup(processes=limits.processes, memory_bytes=limits.memory_bytes)
        argv = [sys.executable, "-I", f"{HOME}/.grader/forkserver.py", str(theirs.fileno())]
        cmd = bwrap_command(isolation.bwrap, self.scratch, argv, limits, secret)
        cmd[1:1] = ["--cap-add", "ALL"]  # kept by the zygote only: its children drop them all
        self.process = subprocess.Popen(
            cmd,
            pass_fds=(theirs.fileno(),),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=self._enter,
        )
        theirs.close()
        try:
            if type(self._receive(time.monotonic() + START_SECONDS).get("ready")) is not int:
                raise ZygoteError("the zygote did not start")
        except ZygoteError:
            self.close()
            raise

    def _enter(self) -> None:
        self.group.join()
        os.setsid()

    def _receive(self, deadline: float) -> dict:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([self.control], [], [], left)[0]:
            raise ZygoteError("the zygote did not answer in time")
        try:
            message = json.loads(self.control.recv(256) or b"null")
        except (OSError, ValueError) as e:
            raise ZygoteError(f"the zygote broke its protocol ({e})") from None
        if not isinstance(message, dict):
            raise ZygoteError("the zygote is gone")
        return message

    def _host_pid(self, pid: int) -> int:
        """The host pid of the zygote's child that it calls `pid`."""
        for host in sorted(self.group.pids()):
            ns = _nspid(host)
            if len(ns) >= 2 and ns[-1] == pid:
                return host
        raise ZygoteError(f"the zygote's child {pid} is not in its cgroup")

    def launch(self, program: dict, limits: Limits, secret: list[Path]) -> WarmBox:
        """A worker for `program`: the spare forked in advance, else a new one; then a new spare.

        A child runs nothing of its own before it is in its own cgroup and has its program.
        """
        box = self._take_spare(limits) or self._admit(limits)
        try:
            wire.write_frame(box.request_fd, {**program, **_settings(limits, secret)})
        except OSError as e:
            box.kill()
            raise ZygoteError(f"the forked child is gone ({e})") from None
        spare: list[WarmBox | Exception] = []
        thread = threading.Thread(target=self._admit_into, args=(limits, spare), daemon=True)
        thread.start()
        self._spare = (thread, limits, spare)
        return box

    def _admit_into(self, limits: Limits, spare: list[WarmBox | Exception]) -> None:
        try:
            spare.append(self._admit(limits))
        except Exception as e:  # the next launch admits a child itself, or falls back
            spare.append(e)

    def _take_spare(self, limits: Limits) -> WarmBox | None:
        if not self._spare:
            return None
        thread, made_for, spare = self._spare
        self._spare = None
        thread.join()
        box = spare[0] if spare and isinstance(spare[0], WarmBox) else None
        if box and made_for != limits:
            box.kill()
            return None
        return box

    def _admit(self, limits: Limits) -> WarmBox:
        """Fork a child and move it into a new cgroup of its own (moving is slow on cgroup v1)."""
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        try:
            with self._lock:
                try:
                    socket.send_fds(self.control, [b"fork"], [req_r, rep_w])
                except OSError as e:
                    raise ZygoteError(f"the zygote is gone ({e})") from None
                finally:
                    os.close(req_r)
                    os.close(rep_w)
                forked = self._receive(time.monotonic() + FORK_SECONDS).get("forked")
            if type(forked) is not int:
                raise ZygoteError("the zygote did not fork")
            host = self._host_pid(forked)
            group = SandboxCgroup(processes=limits.processes, memory_bytes=limits.memory_bytes)
        except BaseException:
            os.close(req_w)  # a forked child waiting for its program reads the end and exits
            os.close(rep_r)
            raise
        box = WarmBox(req_w, rep_r, group)
        try:
            group.add(host)
        except BaseException:
            box.kill()
            raise
        return box

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Stop the zygote, its spare child, and everything still running in its cgroup."""
        spare = self._take_spare(Limits())
        if spare:
            spare.kill()
        with contextlib.suppress(OSError):
            self.control.close()
        self.group.destroy()
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)


def _settings(limits: Limits, secret: list[Path]) -> dict:
    """What the forked child needs besides the program: environment, folders to hide, limits."""
    hide = _masks(_mounted(), secret)[1::2]
    return {
        "env": _environment(),
        "scratch_bytes": limits.scratch_bytes,
        "hide": hide,
        "limits": {
            "memory_bytes": limits.memory_bytes,
            "cpu_seconds": limits.cpu_seconds,
            "file_bytes": limits.file_bytes,
            "open_files": limits.open_files,
        },
    }


@dataclasses.dataclass
class _Serving:
    isolation: Isolation
    pid: int  # the grading worker's: a forked process must not use its parent's zygote
    zygote: Zygote | None = None
    failed: bool = False  # the zygote failed twice in a row: cold sandboxes from now on

    def stop(self) -> None:
        if self.zygote:
            self.zygote.close()
        self.zygote = None
        reap()


_serving: list[_Serving] = []  # the grading worker's zygote, while `serving` is open


@contextlib.contextmanager
def serving(isolation: Isolation) -> Iterator[None]:
    """Let sessions opened inside this block fork from one zygote (started at the first fork)."""
    if not isolation.warm or (_serving and _serving[0].pid == os.getpid()):
        yield
        return
    _serving[:] = [_Serving(isolation, os.getpid())]
    try:
        yield
    finally:
        _serving.pop().stop()


def launch(program: dict, *, limits: Limits, secret: list[Path]) -> WarmBox | None:
    """A warm worker for `program`, or None where there is no zygote (use a cold sandbox).

    A zygote that fails is asked once more if it is still alive, else started again; after a
    second failure in a row this worker says so and uses cold sandboxes.
    """
    if not _serving or _serving[0].pid != os.getpid() or _serving[0].failed:
        return None
    serving = _serving[0]
    problem = ""
    for _ in range(2):
        try:
            if not serving.zygote or not serving.zygote.alive():
                serving.stop()  # its children died with it: nothing running is lost here
                serving.zygote = Zygote(serving.isolation, secret)
            return serving.zygote.launch(program, limits, secret)
        except (OSError, ZygoteError) as e:
            problem = str(e)
    serving.failed = True
    warnings.warn(
        f"WARM SANDBOXES FAILED ({problem}): this worker starts a cold sandbox per submission "
        "from now on (the same isolation, slower).",
        IsolationWarning,
        stacklevel=2,
    )
    return None


def probe(isolation: Isolation) -> Isolation:
    """`isolation` with warm sandboxes if a zygote starts and forks a working child here."""
    if not isolation.bwrap:
        return isolation
    why = _why_not_warm(isolation)
    if why:
        warnings.warn(
            f"WARM SANDBOXES UNAVAILABLE ({why}): each submission starts its own sandbox "
            "(the same isolation, slower).",
            IsolationWarning,
            stacklevel=3,
        )
        return dataclasses.replace(isolation, warm=False, cold_reason=why)
    return dataclasses.replace(isolation, warm=True)


def _why_not_warm(isolation: Isolation) -> str:
    """Why a zygote cannot serve here, or "" when one starts and forks a working child."""
    if not (isolation.cgroups and cgroup.limits_processes()):
        return "they need root and cgroups with a process limit"
    private = ("/tmp", "/dev/shm", HOME)  # each child mounts its own over these
    runtime = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()}
    hidden = sorted(str(p) for p in runtime if any(p.is_relative_to(f) for f in private))
    if hidden:
        return f"the Python runtime lives under a folder each sandbox replaces ({hidden[0]})"
    try:
        zygote = Zygote(isolation, [])
    except (OSError, ZygoteError) as e:
        return f"no zygote: {e}"
    try:
        box = zygote.launch({"chunks": [], "skip": []}, Limits(), [])
        try:
            ready = select.select([box.reply_fd], [], [], FORK_SECONDS)[0]
            data = os.read(box.reply_fd, 1 << 16) if ready else b""
        finally:
            box.kill()
    except (OSError, ZygoteError) as e:
        return f"the zygote failed: {e}"
    finally:
        zygote.close()
    return "" if b'"ready"' in data else "the zygote's child did not start"
