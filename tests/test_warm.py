"""Warm sandboxes: submissions forked by one zygote leave nothing for each other, cannot reach it.

Each test grades submissions one after the other (and overlapping, as the engine's prestart
does) in sessions forked by the same zygote, and checks from the trusted side that the zygote
is the same process throughout and still serves. The isolation claims common to both paths
are in test_sandbox.py, which runs on warm and cold sandboxes.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from autograder.config import Limits
from autograder.sandbox import zygote
from autograder.sandbox.launcher import IsolationWarning, Launched, detect_isolation
from autograder.sandbox.load import load_submission
from autograder.sandbox.session import StudentSession
from autograder.sandbox.zygote import WarmBox

LIMITS = Limits(call_seconds=5, load_seconds=10, memory_bytes=2**30, scratch_bytes=16 * 2**20)

LEAVER = """
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np


def leave():
    for folder in ("/tmp", "/dev/shm", os.environ["HOME"], "."):
        with open(os.path.join(folder, "left-behind"), "w") as f:
            f.write("x")
    os.environ["LEFT_BEHIND"] = "1"
    os.putenv("LEFT_BEHIND_PUTENV", "1")
    np.sum = lambda *a, **k: 42
    np.random.seed(7)
    np.set_printoptions(precision=1)
    np.seterr(all="raise")
    sys.modules["json"] = "hijacked"
    import builtins

    builtins.abs = lambda x: 0
    builtins.left_behind = True
    signal.signal(signal.SIGTERM, lambda *a: None)
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR2, signal.SIGALRM})
    signal.setitimer(signal.ITIMER_REAL, 1000)
    threading.Thread(target=time.sleep, args=(1000,), daemon=True, name="left-thread").start()
    if os.fork() == 0:  # a daemon in its own session, still alive when the next one is graded
        os.setsid()
        if os.fork() == 0:
            time.sleep(1000)
        os._exit(0)
    subprocess.Popen(["sleep", "1000"], start_new_session=True)
    os.umask(0o000)
    os.chdir("/tmp")
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall(248, b"user", b"left-behind", b"x", 1, -4)  # add_key to the user keyring
    leave.pty = os.open("/dev/ptmx", os.O_RDWR)  # a pseudo-terminal, held open
    return os.getpid()


def still_here():
    return 1
"""

FINDER = """
import os
import signal
import sys
import threading

import numpy as np


def look():
    found = []
    for folder in ("/tmp", "/dev/shm", os.environ["HOME"], "."):
        found += [os.path.join(folder, n) for n in os.listdir(folder)]
    children = []
    try:
        while True:
            pid, _ = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            children.append(pid)
    except ChildProcessError:
        pass
    alive = []
    for pid in range(1, 300):  # the whole pid namespace: this worker and its init only
        try:
            os.kill(pid, 0)
            alive.append(pid)
        except ProcessLookupError:
            pass
    import builtins
    import ctypes

    umask = os.umask(0o022)
    libc = ctypes.CDLL(None, use_errno=True)
    key = libc.syscall(249, b"user", b"left-behind", None, 0)  # request_key
    return {
        "key": key,
        "pts": sorted(os.listdir("/dev/pts")),
        "files": found,
        "env": sorted(k for k in os.environ if "LEFT" in k),
        "np_sum": int(np.sum(np.array([1, 2]))),
        "random": float(np.random.random()),
        "printoptions": np.get_printoptions()["precision"],
        "seterr": np.geterr()["under"],  # the grader hears divide, over, invalid in a call
        "json": type(sys.modules.get("json")).__name__,
        "abs": abs(-3),
        "builtins": hasattr(builtins, "left_behind"),
        "sigterm": signal.getsignal(signal.SIGTERM) == signal.SIG_DFL,
        "sigusr1": signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL,
        "sigint": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
        "mask": sorted(int(s) for s in signal.pthread_sigmask(signal.SIG_BLOCK, [])),
        "itimer": signal.getitimer(signal.ITIMER_REAL)[0],
        "threads": [t.name for t in threading.enumerate()],
        "children": children,
        "pids": alive,
        "umask": umask,
        "cwd": os.getcwd(),
    }
"""

ATTACKER = """
import ctypes
import os
import signal
import socket
import stat
import sys

def attack():
    libc = ctypes.CDLL(None, use_errno=True)
    report = {}
    report["proc"] = os.listdir("/proc")
    killed = []
    for pid in range(1, 4096):
        if pid == os.getpid():
            continue
        for sig in (signal.SIGKILL, signal.SIGSTOP):
            try:
                os.kill(pid, sig)
                killed.append(pid)
            except OSError:
                pass
    report["signalled"] = sorted(set(killed))
    try:
        os.kill(-1, signal.SIGKILL)  # everything this process may signal, except itself
    except OSError:
        pass
    report["ptrace"] = [pid for pid in range(1, 64) if libc.ptrace(16, pid, 0, 0) == 0]
    fds = []
    for fd in range(1024):
        try:
            os.fstat(fd)
            fds.append(fd)
        except OSError:
            pass
    own = {int(sys.argv[1]), int(sys.argv[2])}
    report["others"] = [
        fd for fd in fds if fd > 2 and fd not in own and not stat.S_ISCHR(os.fstat(fd).st_mode)
    ]
    sent = []
    for fd in [fd for fd in fds if fd not in own]:
        try:
            socket.send_fds(socket.socket(fileno=os.dup(fd)), [b"fork"], [0, 1])
            sent.append(-fd)
        except OSError:
            pass
    report["written"] = sent
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)
    data = (ctypes.c_uint32 * 6)()
    libc.capget(header, data)
    report["caps"] = list(data)
    report["bounding"] = [c for c in range(64) if libc.prctl(23, c, 0, 0, 0) == 1]
    report["no_new_privs"] = libc.prctl(39, 0, 0, 0, 0)
    report["unshare_user"] = libc.unshare(0x10000000)
    report["unshare_mount"] = libc.unshare(0x00020000)
    report["mount"] = libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None)
    report["setuid0"] = libc.setuid(0)
    for path in ("/proc/1/mem", "/proc/2/mem", "/home/student/.grader/forkserver.py"):
        try:
            open(path, "rb").read(1)
            report[path] = "read"
        except OSError as e:
            report[path] = type(e).__name__
    return report


def ok():
    return 1
"""


@pytest.fixture(scope="module")
def isolation():
    found = detect_isolation()
    if not found.warm:
        pytest.skip(f"no warm sandboxes here: {found.cold_reason or 'no bubblewrap'}")
    return found


@pytest.fixture
def serve(isolation, tmp_path):
    """Open sessions on source code, all forked by one zygote: `serve(source)`."""
    opened: list[StudentSession] = []

    def start(source: str) -> StudentSession:
        path = tmp_path / f"submission{len(opened)}.py"
        path.write_text(source)
        session = StudentSession(
            load_submission(path), limits=LIMITS, isolation=isolation, secret=[tmp_path]
        )
        opened.append(session)
        return session

    with zygote.serving(isolation):
        yield start
        for session in opened:
            session.close()


def the_zygote() -> zygote.Zygote:
    (serving,) = zygote._serving
    assert serving.zygote is not None and serving.zygote.alive()
    return serving.zygote


def call(session: StudentSession, fn: str):
    value = session.call(fn, (), {}).value
    assert isinstance(session._box, WarmBox)  # forked, not a cold sandbox
    return value


CLEAN = {
    "key": -1,
    "pts": ["ptmx"],
    "files": [],
    "env": [],
    "np_sum": 3,
    "printoptions": 8,
    "seterr": "ignore",
    "json": "module",
    "abs": 3,
    "builtins": False,
    "sigterm": True,
    "sigusr1": True,
    "sigint": True,
    "mask": [],
    "itimer": 0.0,
    "threads": ["MainThread"],
    "children": [],
    "pids": [1, 2],
    "umask": 0o022,
    "cwd": "/home/student",
}


def clean(found: dict) -> dict:
    return {k: v for k, v in found.items() if k != "random"}


def test_a_submission_leaves_nothing_for_the_next(serve):
    fresh = serve(FINDER)
    before = call(fresh, "look")
    fresh.close()
    assert clean(before) == CLEAN
    zygote_pid = the_zygote().process.pid
    leaver = serve(LEAVER)
    assert call(leaver, "leave") == 2
    follower = serve(FINDER)  # graded while the leaver's daemons are still running
    assert clean(call(follower, "look")) == CLEAN
    assert call(leaver, "still_here") == 1  # the leaver really was still there
    leaver.close()
    follower.close()
    after = serve(FINDER)
    found = call(after, "look")
    assert clean(found) == CLEAN
    assert found["random"] == before["random"]  # numpy's global generator as the zygote left it
    assert the_zygote().process.pid == zygote_pid


def test_a_submission_cannot_reach_the_zygote(serve):
    first = serve(ATTACKER)
    assert call(first, "ok") == 1
    zygote_pid = the_zygote().process.pid
    witness = serve(FINDER)  # a neighbour, running while the attack runs
    assert call(witness, "look")["pids"] == [1, 2]
    report = first.call("attack", (), {}, seconds=5).value
    assert report["proc"] == []
    assert report["signalled"] == [1]  # its own init (which ignores them), nothing else
    assert report["ptrace"] == []
    assert report["others"] == []  # its own two pipes, /dev/null and stdio: nothing else
    assert report["written"] == []
    assert report["caps"] == [0] * 6
    assert report["bounding"] == []
    assert report["no_new_privs"] == 1
    for key in ("unshare_user", "unshare_mount", "mount", "setuid0"):
        assert report[key] == -1, key
    for path in ("/proc/1/mem", "/proc/2/mem", "/home/student/.grader/forkserver.py"):
        assert report[path] == "FileNotFoundError", path
    assert call(witness, "look")["pids"] == [1, 2]  # the neighbour was not touched
    first.close()
    time.sleep(0.2)
    assert the_zygote().process.pid == zygote_pid
    after = serve(FINDER)
    assert clean(call(after, "look")) == CLEAN


def test_the_zygote_holds_no_student_files(serve, tmp_path):
    """The zygote's own scratch folder holds only the kit's three sandbox files."""
    session = serve(FINDER)
    call(session, "look")
    scratch = the_zygote().scratch
    assert sorted(p.name for p in scratch.iterdir()) == sorted(p.name for p in zygote.FILES)
    assert not any(Path(tmp_path).glob("left-behind"))


def test_a_dead_zygote_is_started_again(serve):
    first = serve(FINDER)
    assert clean(call(first, "look")) == CLEAN
    first.close()
    old = the_zygote()
    old.process.kill()  # bwrap dies, and the zygote inside with it (--die-with-parent)
    old.process.wait()
    second = serve(FINDER)
    assert clean(call(second, "look")) == CLEAN
    assert the_zygote() is not old


def test_a_zygote_that_keeps_failing_falls_back_to_cold_loudly(serve, monkeypatch):
    attempts = []

    def broken(*args, **kwargs):
        attempts.append(args)
        raise zygote.ZygoteError("made to fail by the test")

    zygote._serving[0].stop()
    monkeypatch.setattr(zygote.Zygote, "__init__", broken)
    with pytest.warns(IsolationWarning, match="WARM SANDBOXES FAILED"):
        session = serve(FINDER)
        assert session.call("look", (), {}).value["env"] == []
    assert isinstance(session._box, Launched)
    later = serve(FINDER)  # no second warning, no new attempt: cold from now on
    assert later.call("look", (), {}).value["env"] == []
    assert isinstance(later._box, Launched)
    assert len(attempts) == 2
