"""The sandbox's isolation claims, one at a time, with small programs run in a StudentSession.

The session is built as the engine builds it (sandbox.load.load_submission on a file), with
the same secret folders. Tests that need bubblewrap skip without it; CI installs it. The last
section is unit tests of autograder/wire.py, the format of everything that crosses back.

Known weaknesses are xfail(strict=True) with the reason, so that they stay visible.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from autograder import wire
from autograder.assignments import ROOT, secret_paths
from autograder.config import Limits
from autograder.problems import Crashed, Raised, TimedOut
from autograder.sandbox import cgroup, seccomp, zygote
from autograder.sandbox.launcher import IsolationWarning, detect_isolation, fallback_isolation
from autograder.sandbox.load import load_submission
from autograder.sandbox.session import StudentSession
from autograder.sandbox.zygote import WarmBox

MiB = 2**20
LIMITS = Limits(
    call_seconds=5,
    load_seconds=10,
    submission_seconds=60,
    memory_bytes=512 * MiB,
    file_bytes=4 * MiB,
    scratch_bytes=16 * MiB,
    processes=16,
)
SANDBOX_ENV_KEYS = {
    "HOME",
    "PATH",
    "LANG",
    "PWD",
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "PYTHONDONTWRITEBYTECODE",
    "MPLBACKEND",
    "OPENBLAS_CORETYPE",
    "OPENBLAS_L2_SIZE",
}


@pytest.fixture(scope="module", params=["warm", "cold"])
def isolation(request):
    """Each test runs on warm sandboxes (forked by a zygote) and on cold ones (one bwrap each)."""
    found = detect_isolation()
    if not found.bwrap:
        pytest.skip("bubblewrap is not available (CI installs it): these tests check its walls")
    if request.param == "cold":
        return dataclasses.replace(found, warm=False, cold_reason="chosen by the test")
    if not found.warm:
        pytest.skip(f"no warm sandboxes here: {found.cold_reason}")
    return found


@pytest.fixture
def sandbox(isolation, tmp_path):
    """Open sessions on source code: `sandbox(source, **limits)`; all are closed afterwards."""
    opened = []

    def start(source: str, **limits) -> StudentSession:
        path = tmp_path / f"submission{len(opened)}.py"
        path.write_text(source)
        secret = [*secret_paths(), path.parent.resolve()]
        chosen = Limits(**{**LIMITS.__dict__, **limits})
        session = StudentSession(
            load_submission(path), limits=chosen, isolation=isolation, secret=secret
        )
        opened.append(session)
        return session

    with zygote.serving(isolation):
        yield start
        for session in opened:
            session.close()


def call(session: StudentSession, fn: str, *args, **kwargs):
    return session.call(fn, args, kwargs).value


def sandbox_pids(session: StudentSession) -> list[int]:
    """Live host processes of this session: bwrap's command line names its scratch folder, and
    everything inside descends from bwrap; a warm sandbox's are all in its cgroup."""
    if isinstance(session._box, WarmBox):
        return [p for p in session._box.cgroup.pids() if not _zombie(p)]
    marker = str(session._scratch)
    procs = {}
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{name}/cmdline").read_bytes().decode(errors="replace")
            fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        procs[int(name)] = (int(fields[1]), fields[0], cmd)

    def ours(pid: int) -> bool:
        seen = set()
        while pid in procs and pid not in seen:
            seen.add(pid)
            if marker in procs[pid][2]:
                return True
            pid = procs[pid][0]
        return False

    return [pid for pid, (_, state, _) in procs.items() if state != "Z" and ours(pid)]


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True  # gone


def running(pids: list[int]) -> list[int]:
    return [p for p in pids if not _zombie(p)]


# ---------------------------------------------------------------- network


NETWORK = """
import socket


def connect(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1.0)
    try:
        s.connect((host, port))
        return "connected"
    except OSError as e:
        return type(e).__name__
    finally:
        s.close()


def resolve(name):
    try:
        return socket.gethostbyname(name)
    except OSError as e:
        return type(e).__name__
"""


def test_network_is_unreachable(sandbox):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            pass  # the host's own loopback does accept connections
        s = sandbox(NETWORK)
        assert call(s, "connect", "127.0.0.1", port) != "connected"
        for host, p in [("1.1.1.1", 53), ("8.8.8.8", 443), ("169.254.169.254", 80)]:
            assert call(s, "connect", host, p) != "connected", host
        assert not call(s, "resolve", "example.com")[0].isdigit()  # an error's name, no address
    finally:
        listener.close()


PRYING = (
    NETWORK
    + """

def spy(pid):
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    attached = libc.ptrace(16, pid, 0, 0) == 0  # PTRACE_ATTACH
    return "attached" if attached else os.strerror(ctypes.get_errno())


import os
"""
)


@pytest.mark.skipif(not seccomp.works(), reason="this kernel or architecture has no seccomp")
def test_without_bubblewrap_the_network_and_other_processes_are_closed(tmp_path):
    """The weaker sandbox (no bubblewrap, as in Docker or Gradescope) still gets no socket and
    cannot attach to another process, the grader included."""
    with pytest.warns(IsolationWarning):
        isolation = fallback_isolation()
    assert isolation.seccomp and "network is closed" in isolation.gaps[0]
    path = tmp_path / "submission.py"
    path.write_text(PRYING)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    session = StudentSession(load_submission(path), limits=LIMITS, isolation=isolation,
                             secret=[*secret_paths(), tmp_path])  # fmt: skip
    try:
        with pytest.raises(Raised, match="PermissionError"):  # from socket.socket() itself
            call(session, "connect", "127.0.0.1", listener.getsockname()[1])
        assert not call(session, "resolve", "example.com")[0].isdigit()
        assert call(session, "spy", os.getpid()) == "Operation not permitted"
    finally:
        session.close()
        listener.close()


SILENCING = """
import warnings

import numpy as np


def naive(z):
    return 1 / (1 + np.exp(-z))


def quiet_errstate(z):
    with np.errstate(over="ignore"):
        return naive(z)


def quiet_seterr(z):
    np.seterr(all="ignore")
    return naive(z)


def quiet_filters(z):
    warnings.simplefilter("ignore")
    return naive(z)


@np.errstate(all="ignore")
def quiet_decorated(z):
    return naive(z)


def quiet_callback(z):
    np.seterrcall(lambda kind, flag: None)
    with np.errstate(over="call"):
        return naive(z)


def careful_and_stable(z):
    with np.errstate(all="ignore"):
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def raising(z):
    try:
        with np.errstate(over="raise"):
            return naive(z)
    except FloatingPointError:
        return "raised"


def numpy_silences_itself(z):
    return np.ma.log(z).filled(0.0)
"""


def test_a_call_cannot_silence_its_own_overflow(sandbox):
    """Ignoring numpy's errors (np.errstate, np.seterr, warning filters) does not hide an overflow
    from the grader; code that silences but never overflows, numpy's own silencing and a
    student's 'raise' stay as they were."""
    s = sandbox(SILENCING)
    z = np.array([-1e4, 0.0, 1e4])
    quiet = ["quiet_errstate", "quiet_seterr", "quiet_filters", "quiet_decorated", "quiet_callback"]
    for fn in ["naive", *quiet]:
        reply = s.call(fn, (z,), {})
        assert reply.warnings == ["RuntimeWarning: overflow encountered"], fn
        assert reply.value.tolist() == [0.0, 0.5, 1.0]
    assert s.call("careful_and_stable", (z,), {}).warnings == []
    assert s.call("raising", (z,), {}).value == "raised"
    assert s.call("numpy_silences_itself", (np.array([0.0, 1.0]),), {}).warnings == []


# ---------------------------------------------------------------- files


READER = """
import os


def read(path):
    try:
        with open(path, "rb") as f:
            return "read:" + str(len(f.read()))
    except OSError as e:
        return type(e).__name__


def listing(path):
    try:
        return sorted(os.listdir(path))
    except OSError as e:
        return type(e).__name__
"""


def test_grader_files_are_unreadable(sandbox, tmp_path):
    results = tmp_path / "results" / "alice"
    results.mkdir(parents=True)
    (results / "results.json").write_text('{"score": 20}')
    s = sandbox(READER)
    secrets = [
        ROOT / "solutions" / "logistic_regression.py",
        ROOT / "assignments" / "logistic_regression" / "suite.py",
        ROOT / "autograder" / "grade" / "engine.py",
        ROOT / "tests" / "test_sandbox.py",
        ROOT / "pyproject.toml",
        results / "results.json",
        tmp_path / "submission0.py",
        Path("/root/.bashrc"),
        Path("/root/.ssh/authorized_keys"),
        Path("/etc/passwd"),
        Path("/proc/1/root") / str(ROOT / "solutions" / "logistic_regression.py").lstrip("/"),
    ]
    for path in secrets:
        if str(path).startswith(str(ROOT)):
            assert path.exists(), path  # it is there, on the host
        assert not call(s, "read", str(path)).startswith("read:"), path
    for relative in ("solutions/logistic_regression.py", "../assignments", "../../solutions"):
        assert not call(s, "read", relative).startswith("read:"), relative
    for folder in (ROOT, ROOT / "assignments", ROOT / "solutions", ROOT / "tests", tmp_path):
        seen = call(s, "listing", str(folder))
        assert seen == "FileNotFoundError" or set(seen) <= {".venv"}, (folder, seen)
    seen_root = call(s, "listing", "/root")
    assert seen_root == "FileNotFoundError" or set(seen_root) <= {".pyenv", ".local"}, seen_root


def test_the_runtime_is_read_only_and_its_own_files_are_readable(sandbox, isolation):
    s = sandbox(READER)
    assert call(s, "read", np.__file__).startswith("read:")  # numpy must be importable
    worker = call(s, "read", "/home/student/.grader/worker.py")
    if isolation.warm:  # imported by the zygote before the fork; the child's home is empty
        assert worker == "FileNotFoundError"
    else:
        assert worker.startswith("read:")


# ---------------------------------------------------------------- environment


ENVIRON = """
import os


def environment():
    found = {"environ": dict(os.environ)}
    for path in ("/proc/self/environ", "/proc/1/environ", f"/proc/{os.getppid()}/environ"):
        try:
            with open(path, "rb") as f:
                found[path] = f.read().decode(errors="replace")
        except OSError as e:
            found[path] = type(e).__name__
    return found
"""


def test_environment_is_cleared(sandbox, monkeypatch):
    canary = "sandboxcanary" + os.urandom(8).hex().replace("0", "g")
    monkeypatch.setenv("NNKIT_CANARY", canary)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", canary)
    found = call(sandbox(ENVIRON), "environment")
    assert set(found["environ"]) <= SANDBOX_ENV_KEYS, found["environ"]
    assert canary not in json.dumps(found)
    assert found["environ"]["HOME"] == "/home/student"


# ---------------------------------------------------------------- writing


WRITER = """
import os


def write(path, nbytes):
    try:
        with open(path, "wb") as f:
            left = nbytes
            while left:
                chunk = min(left, 2**20)
                f.write(b"w" * chunk)
                left -= chunk
        return "wrote"
    except OSError as e:
        return f"{type(e).__name__}:{e.errno}"


def total(folder, files, each):
    written = 0
    for i in range(files):
        result = write(os.path.join(folder, f"part{i}"), each)
        if result != "wrote":
            break
        written += each
    for i in range(files):
        try:
            os.remove(os.path.join(folder, f"part{i}"))
        except OSError:
            pass
    return written
"""


def test_writes_stay_in_a_private_scratch_space(sandbox, tmp_path):
    s = sandbox(WRITER)
    name = f"nnkit-sandbox-test-{os.getpid()}-{time.time_ns()}"
    assert call(s, "write", f"/home/student/{name}", 1000) == "wrote"
    assert call(s, "write", f"/tmp/{name}", 1000) == "wrote"
    call(s, "write", f"/{name}", 1000)  # the sandbox's root is a private tmpfs too
    call(s, "write", f"/dev/shm/{name}", 1000)
    for target in ("/home/student/.grader", sys.prefix, sys.base_prefix, "/usr", str(tmp_path)):
        result = call(s, "write", f"{target}/{name}", 10)
        assert result != "wrote", target
    s.close()
    for folder in ("/tmp", "/", "/dev/shm", sys.prefix):
        assert not Path(folder, name).exists(), folder  # nothing reached the host
    assert not any(p.name == name for p in tmp_path.rglob("*"))
    assert not Path(sys.prefix, name).exists()


def test_scratch_space_and_file_size_are_limited(sandbox):
    s = sandbox(WRITER, file_bytes=2 * MiB, scratch_bytes=8 * MiB)
    assert call(s, "write", "/home/student/big", 3 * MiB) == "OSError:27"  # EFBIG, no SIGXFSZ
    assert call(s, "write", "/home/student/ok", MiB) == "wrote"
    assert call(s, "total", "/home/student", 8, 2 * MiB) < 8 * MiB  # ENOSPC first
    assert call(s, "total", "/tmp", 8, 2 * MiB) <= 8 * MiB


@pytest.mark.parametrize("folder", ["/", "/dev/shm", "/dev"])
def test_every_writable_place_is_limited_like_the_scratch_space(sandbox, folder):
    s = sandbox(WRITER, file_bytes=2 * MiB, scratch_bytes=8 * MiB)
    try:
        written = call(s, "total", folder, 12, 2 * MiB)
    except Crashed:  # stopped by the sandbox's memory limit: bounded, but not by scratch_bytes
        written = 24 * MiB
    assert written <= 8 * MiB


# ---------------------------------------------------------------- memory and processes


MEMORY = """
import os
import time


def allocate(nbytes):
    block = bytearray(nbytes)
    block[:: 4096] = b"x" * len(block[:: 4096])
    return len(block)


def ok():
    return 42


def children_allocate(children, nbytes):
    # fork children that each hold nbytes; once each has reported or died, the sum of the RSS
    # of those alive, and the reports ("+" holding, "-" MemoryError)
    ready_r, ready_w = os.pipe()
    os.set_blocking(ready_r, False)
    pids = []
    for _ in range(children):
        pid = os.fork()
        if pid == 0:
            try:
                held = bytearray(nbytes)
                held[:: 4096] = b"x" * len(held[:: 4096])
                os.write(ready_w, b"+")
                time.sleep(60)
            except MemoryError:
                os.write(ready_w, b"-")
            finally:
                os._exit(0)
        pids.append(pid)
    reports, dead = b"", set()
    deadline = time.monotonic() + 10
    while len(reports) + len(dead) < children and time.monotonic() < deadline:
        try:
            reports += os.read(ready_r, children)
        except BlockingIOError:
            time.sleep(0.05)
        for pid in pids:
            if pid not in dead and os.waitpid(pid, os.WNOHANG)[0]:
                dead.add(pid)
    total = 0
    for pid in set(pids) - dead:
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS"):
                        total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total, reports.decode(), len(dead)
"""


def test_memory_limit_raises_memory_error_not_a_crash(sandbox):
    s = sandbox(MEMORY, memory_bytes=512 * MiB)
    with pytest.raises(Raised, match="MemoryError"):
        call(s, "allocate", 2**30)
    assert call(s, "allocate", 50 * MiB) == 50 * MiB
    assert call(s, "ok") == 42


def test_memory_limit_covers_the_whole_sandbox(sandbox, isolation):
    if not isolation.cgroups:
        pytest.skip("no cgroups here (not root): RLIMIT_AS alone limits each process, not all")
    s = sandbox(MEMORY, memory_bytes=384 * MiB, call_seconds=30)
    try:
        total, _, _ = call(s, "children_allocate", 4, 200 * MiB)
    except Crashed:  # the whole sandbox was stopped at its limit: that is a limit too
        return
    assert total <= 384 * MiB, f"the sandbox's children hold {total / MiB:.0f} MiB"


PROCESSES = """
import os
import signal
import time


def daemons(n):
    started = 0
    for _ in range(n):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            try:
                os.setsid()
                if os.fork():
                    os._exit(0)
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGHUP, signal.SIG_IGN)
                os.closerange(3, 256)
                while True:
                    time.sleep(0.1)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        started += 1
    return started


def fork_until_refused():
    children = 0
    while children < 1000:
        try:
            pid = os.fork()
        except OSError:
            return children
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        children += 1
    return children


def ok():
    return 42
"""


def test_daemons_and_children_are_gone_after_close(sandbox):
    s = sandbox(PROCESSES)
    assert call(s, "daemons", 4) == 4
    assert call(s, "ok") == 42
    alive = sandbox_pids(s)
    assert len(alive) >= 4 + 2, alive  # bwrap (or the zygote's child), its init, the worker...
    s.close()
    deadline = time.monotonic() + 5
    while (sandbox_pids(s) or running(alive)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sandbox_pids(s) == []
    assert running(alive) == []


def test_the_number_of_processes_is_limited(sandbox, isolation):
    if not isolation.cgroups:
        pytest.skip("no pids cgroup here (not root): RLIMIT_NPROC counts per user instead")
    s = sandbox(PROCESSES, processes=12)
    assert call(s, "fork_until_refused") < 12
    assert call(s, "ok") == 42


def test_the_cgroup_is_removed_after_close(sandbox, isolation):
    if not isolation.cgroups:
        pytest.skip("no cgroups here")
    left = []
    for _ in range(6):
        s = sandbox(PROCESSES)
        call(s, "fork_until_refused")
        group = s._box.cgroup
        paths = list(getattr(group, "paths", None) or [group.path])
        s.close()
        zygote.reap()  # a warm sandbox's cgroup is removed in the background after its SIGKILL
        left += [p for p in paths if p.exists()]
    assert left == []


# ---------------------------------------------------------------- failing calls


FAILING = """
import os
import signal
import sys
import time


def hang():
    while True:
        pass


def deaf_hang():
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        time.sleep(0.01)


def hard_exit():
    os._exit(3)


def soft_exit():
    sys.exit(0)


def segfault():
    import ctypes

    return ctypes.string_at(0)


def ok(x=1):
    return x * 2
"""


def test_a_timeout_fails_only_that_call(sandbox):
    s = sandbox(FAILING, call_seconds=1)
    start = time.monotonic()
    with pytest.raises(TimedOut, match="did not finish within 1 s"):
        call(s, "hang")
    assert time.monotonic() - start < 5
    assert call(s, "ok", 21) == 42
    with pytest.raises(TimedOut):
        call(s, "deaf_hang")
    assert call(s, "ok", 4) == 8


def test_exits_and_crashes_fail_only_that_call(sandbox):
    s = sandbox(FAILING)
    with pytest.raises(Crashed):
        call(s, "hard_exit")
    assert call(s, "ok", 5) == 10
    with pytest.raises(Raised, match="SystemExit"):
        call(s, "soft_exit")
    assert call(s, "ok", 6) == 12
    with pytest.raises(Crashed):
        call(s, "segfault")
    assert call(s, "ok", 7) == 14


BUDGET = """
import os
import time


class _SlowLoad:
    time.sleep(1.5)


def die(i):
    os._exit(1)
"""


def test_a_submission_cannot_outlast_its_time_budget(sandbox):
    s = sandbox(BUDGET, call_seconds=1, load_seconds=3, submission_seconds=2)
    start = time.monotonic()
    for i in range(5):
        with pytest.raises((Crashed, TimedOut)):
            call(s, "die", i)
    assert time.monotonic() - start < 2 + 3 + 1  # the budget, one load, some slack


# ---------------------------------------------------------------- returned values


RETURNS = """
import numpy as np


class Liar(np.ndarray):
    def __eq__(self, other):
        return True

    def __array_ufunc__(self, *args, **kwargs):
        return True

    def __array_function__(self, *args, **kwargs):
        return True

    def __len__(self):
        return 99

    @property
    def shape(self):
        return (99,)

    def view(self, *args, **kwargs):
        return np.full(99, 7.0)


class Anything:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 1.0

    def __array__(self, dtype=None, copy=None):
        return np.ones(3)


class LyingFloat(float):
    def __eq__(self, other):
        return True

    __hash__ = float.__hash__


def subclass():
    return np.array([1.0, 2.0, 3.0]).view(Liar)


def anything():
    return Anything()


def lying_float():
    return LyingFloat(2.0)


def object_array():
    out = np.empty(3, dtype=object)
    out[:] = [Anything(), Anything(), Anything()]
    return out


def float32():
    return np.float32(0.5), np.zeros(2, dtype=np.float32)


def deep(n):
    value = 1.0
    for _ in range(n):
        value = [value]
    return value


def mixed():
    return {"a": (1, 2.5, None, True, "s"), 3: "int key"}, {"b": [np.int64(4), np.bool_(True)]}
"""


def test_returned_objects_arrive_as_plain_data_or_unreadable(sandbox):
    s = sandbox(RETURNS)
    got = call(s, "subclass")
    assert type(got) is np.ndarray and got.shape == (3,)
    assert got.tolist() == [1.0, 2.0, 3.0]
    for fn in ("anything", "lying_float", "object_array"):
        value = call(s, fn)
        assert isinstance(value, wire.Unreadable), (fn, value)
        assert value != 1.0 and value != np.ones(3).tolist()
    scalar, array = call(s, "float32")
    assert type(scalar) is np.float32 and array.dtype == np.float32
    assert call(s, "deep", 10) == call(s, "deep", 10)  # a modest nesting comes back whole
    try:  # too deep: cut off as unreadable, or refused as a whole
        nested = call(s, "deep", 40)
        while isinstance(nested, list):
            nested = nested[0]
        assert isinstance(nested, wire.Unreadable)
    except Crashed:
        pass
    first, second = call(s, "mixed")
    assert isinstance(first, wire.Unreadable)  # a non-string key
    assert second == {"b": [np.int64(4), np.bool_(True)]}


FRAMES = """
import json
import struct
import sys
import time


def _reply(text):
    body = text.encode()
    fd = int(sys.argv[2])
    data = struct.pack("<Q", len(body)) + body
    while data:
        data = data[__import__("os").write(fd, data):]


def too_big():
    return "x" * (65 * 2**20)


def extra_frame(value):
    _reply(json.dumps({"ok": True, "value": "stale", "mutated": [], "warnings": []}))
    return value


def _request_id():
    # the worker's current request, found up the stack: a forged reply can carry the right id
    frame = sys._getframe()
    while frame is not None:
        request = frame.f_locals.get("request")
        if isinstance(request, dict):
            return request.get("id")
        frame = frame.f_back
    return None


def raw_reply(text):
    message = json.loads(text)
    message["id"] = _request_id()
    _reply(json.dumps(message))
    time.sleep(30)


class _Frame:  # built while loading, so that the call itself only writes it
    text = '{"ok": true, "value": [' + ",".join(["0"] * (32 * 2**20 - 16)) + "]}"


def huge_json_frame():
    _reply(_Frame.text)
    time.sleep(30)


def ok(x=1):
    return x
"""


def test_a_reply_over_the_frame_limit_is_refused(sandbox):
    s = sandbox(FRAMES, call_seconds=5, memory_bytes=2**30)
    with pytest.raises(Raised, match="ResultTooLarge"):
        call(s, "too_big")
    assert call(s, "ok", 3) == 3


@pytest.mark.parametrize(
    "reply",
    [
        '{"ok": true, "value": {"a": "f8", "s": [1], "b": "!!!!!!!!!!!!"}}',
        '{"ok": true, "value": {"a": "f8", "s": [2], "b": "AAAAAAAAAAAAAAAAAAAAAA==", '
        '"scalar": true}}',
        '{"ok": true, "value": {"rng": -1}}',
    ],
    ids=["bad-base64", "scalar-of-two", "negative-seed"],
)
def test_a_forged_reply_is_a_crash_of_the_submission(sandbox, reply):
    s = sandbox(FRAMES)
    with pytest.raises(Crashed):
        call(s, "raw_reply", reply)


def test_each_reply_answers_its_own_call(sandbox):
    s = sandbox(FRAMES)
    got = []
    for value in (1, 2, 3):
        try:
            got.append(call(s, "extra_frame", value))
        except Crashed:  # a detected desynchronisation is fine too
            got.append("crashed")
    assert got == [1, 2, 3]


def test_a_huge_frame_cannot_hold_the_grader_past_the_deadline(sandbox, isolation):
    if isolation.warm:  # the trusted side's parsing is the same; the timing is not, near 1.5 s
        pytest.skip("checked on the cold path")
    s = sandbox(FRAMES, call_seconds=1, memory_bytes=2**30)
    s.call("ok", (), {})  # started and loaded
    start = time.monotonic()
    with pytest.raises((Crashed, TimedOut, Raised)):
        call(s, "huge_json_frame")
    assert time.monotonic() - start < 1.5


def test_a_frame_of_too_many_values_is_refused_before_it_is_parsed():
    body = b'{"ok": true, "value": [' + b"0," * (wire.MAX_PARTS + 1) + b"0]}"
    with pytest.raises(wire.WireError, match="too many values"):
        wire.parse_frame(body)
    assert wire.parse_frame(b'{"value": [' + b"0," * 1000 + b"0]}")["value"] == [0] * 1001


# ---------------------------------------------------------------- wire.decode (no sandbox)


def array_message(values, *, tag="f8", shape=..., **extra) -> dict:
    dtype = wire.WIRE_DTYPES[tag]
    data = np.asarray(values, dtype=dtype)
    shape = list(data.shape) if shape is ... else shape
    return {"a": tag, "s": shape, "b": base64.b64encode(data.tobytes()).decode(), **extra}


def test_decode_rebuilds_plain_values():
    values = [
        None,
        True,
        3,
        2.5,
        "text",
        [1, [2.0]],
        (1, "a"),
        {"k": [None]},
        float("nan"),
        np.arange(6.0).reshape(2, 3),
        np.array([1, 2], dtype=np.int64),
        np.array([True, False]),
        np.float32(0.25),
        np.zeros(3, dtype=np.float32),
    ]
    for value in values:
        back = wire.decode(json.loads(json.dumps(wire.encode(value))))
        if isinstance(value, np.ndarray | np.generic):
            assert type(back) is type(value) and back.dtype == value.dtype
            np.testing.assert_array_equal(back, value)
        elif isinstance(value, float) and np.isnan(value):
            assert np.isnan(back)
        else:
            assert back == value


@pytest.mark.parametrize(
    "shape",
    [[-1], [1.0], [True], ["3"], [1] * 7, [wire.MAX_ITEMS + 1], "3", None, [{"x": 1}]],
    ids=["negative", "float", "bool", "str", "7-dims", "too-long", "not-a-list", "none", "dict"],
)
def test_decode_rejects_bad_shapes(shape):
    with pytest.raises(wire.WireError):
        wire.decode(array_message([1.0], shape=shape))


def test_decode_rejects_byte_counts_that_do_not_match_the_shape():
    with pytest.raises(wire.WireError):
        wire.decode(array_message([1.0, 2.0], shape=[3]))
    with pytest.raises(wire.WireError):
        wire.decode(array_message([1.0, 2.0, 3.0, 4.0], shape=[3]))
    with pytest.raises(wire.WireError):
        wire.decode(array_message([1, 2], tag="i8", shape=[2, 2]))


def test_decode_rejects_huge_sizes_before_decoding_them():
    with pytest.raises(wire.WireError, match="too large"):
        wire.decode({"a": "f8", "s": [1000, 1001], "b": ""})  # over MAX_ITEMS elements
    with pytest.raises(wire.WireError, match="too large"):
        wire.decode({"a": "f8", "s": [2], "b": "A" * 10_000})  # far more text than 2 floats
    with pytest.raises(wire.WireError):
        wire.decode([0] * (wire.MAX_ITEMS + 1))


def test_decode_rejects_deep_nesting_and_unknown_tags():
    deep: object = 1.0
    for _ in range(wire.MAX_DEPTH + 2):
        deep = [deep]
    with pytest.raises(wire.WireError, match="deep"):
        wire.decode(deep)
    tuples: object = 1
    for _ in range(wire.MAX_DEPTH + 2):
        tuples = {"t": [tuples]}
    with pytest.raises(wire.WireError, match="deep"):
        wire.decode(tuples)
    for bad in ({}, {"zz": 1}, {"a": "c16", "s": [1], "b": ""}, {"u": 5}, {"x": "NaN"}, {3}):
        with pytest.raises(wire.WireError):
            wire.decode(bad)


def test_unreadable_names_are_sanitised():
    value = wire.decode({"u": "<script>alert(1)</script>" * 10})
    assert isinstance(value, wire.Unreadable)
    assert "<" not in value.type_name and len(value.type_name) <= 60


def test_parse_frame_rejects_non_objects_and_deep_json():
    for body in (b"[1, 2]", b"not json", b"\xff\xfe", b'"text"', b"[" * 100_000 + b"]" * 100_000):
        with pytest.raises(wire.WireError):
            wire.parse_frame(body)
    assert wire.parse_frame(b'{"ok": true}') == {"ok": True}


def test_write_frame_replaces_an_oversized_message(tmp_path):
    read_fd, write_fd = os.pipe()
    try:
        os.set_blocking(read_fd, False)
        big = {"ok": True, "value": "x" * (wire.MAX_FRAME + 10)}
        chunks = []

        def drain():
            while True:
                try:
                    chunk = os.read(read_fd, 1 << 20)
                except BlockingIOError:
                    time.sleep(0.01)
                    continue
                if not chunk:
                    return
                chunks.append(chunk)

        reader = threading.Thread(target=drain)
        reader.start()
        wire.write_frame(write_fd, big)
        os.close(write_fd)
        reader.join(timeout=10)
        data = b"".join(chunks)
        (length,) = struct.unpack("<Q", data[:8])
        message = wire.parse_frame(data[8 : 8 + length])
        assert message["error"]["type"] == "ResultTooLarge"
    finally:
        os.close(read_fd)


@pytest.mark.parametrize(
    "message",
    [
        {"a": "f8", "s": [1], "b": "!!!!!!!!!!!!"},
        {"a": "f8", "s": [2], "b": "AAAAAAAAAAAAAAAAAAAAAA==", "scalar": True},
        {"rng": -1},
    ],
    ids=["bad-base64", "scalar-of-two", "negative-seed"],
)
def test_decode_raises_only_wire_errors(message):
    with pytest.raises(wire.WireError):
        wire.decode(message)


# ---------------------------------------------------------------- stand-ins (the model answer)

DOUBLE = {"g": lambda x: 2 * x}


def test_a_stand_in_answers_for_the_named_function_during_one_call(sandbox):
    session = sandbox(
        "def g(x):\n    return -1\n\ndef f(x):\n    return g(x) + 1\n\ndef h(x):\n    return g(x)\n"
    )
    reply = session.call("f", (np.arange(3.0),), {}, standins=DOUBLE)
    assert reply.value.tolist() == [1.0, 3.0, 5.0] and reply.standins_used == ["g"]
    assert call(session, "h", 1) == -1  # the student's own g is back after the call
    unused = session.call("f", (1,), {}, standins={"g": lambda x: 2 * x, "k": abs})
    assert unused.standins_used == ["g"]


def test_a_stand_in_the_student_never_defined_still_resolves(sandbox):
    session = sandbox("def f(x):\n    return g(x)\n")
    assert session.call("f", (4,), {}, standins=DOUBLE).value == 8
    with pytest.raises(Raised, match="NameError"):
        call(session, "f", 4)


def test_a_stand_in_raises_the_model_answers_error_kind_and_moves_a_generator_on(sandbox):
    session = sandbox(
        "import numpy as np\n\n"
        "def f(x):\n    try:\n        return g(x)\n"
        "    except ValueError as e:\n        return str(e)\n\n"
        "def draws(rng):\n    first = g(rng)\n    return [first, float(rng.random())]\n"
    )

    def model(x):
        if isinstance(x, np.random.Generator):
            return float(x.random())
        raise ValueError("the model's own words")

    said = session.call("f", (1,), {}, standins={"g": model}).value  # its kind, not its text
    assert said == "the grader's model failed on these arguments"
    rng = np.random.default_rng(5)
    first, second = rng.random(), rng.random()
    got = session.call("draws", (wire.SeededRng(5),), {}, standins={"g": model}).value
    assert got == [first, second]


def test_a_stand_in_kept_past_its_call_or_forged_gets_nothing(sandbox):
    session = sandbox(
        "import os, struct, sys, json\n\nKEPT = []\n\n"
        "def keep(x):\n    KEPT.append(g)\n    return 0\n\n"
        "def later(x):\n    return KEPT[0](x)\n\n"
        "def forge(x):\n"
        "    frame = {'op': 'standin', 'id': x, 'fn': 'open', 'args': [], 'kwargs': {'d': {}}}\n"
        "    body = json.dumps(frame).encode()\n"
        "    os.write(int(sys.argv[2]), struct.pack('<Q', len(body)) + body)\n"
        "    return 'sent'\n"
    )
    assert session.call("keep", (1,), {}, standins=DOUBLE).value == 0
    with pytest.raises(Raised, match="RuntimeError"):
        session.call("later", (1,), {}, standins={})
    reply = session.call("forge", (session._requests + 1,), {}, standins={})
    assert reply.value == "sent" and reply.standins_used == []  # refused: open is no stand-in
    with contextlib.suppress(Crashed):  # the refusal it never read desynchronised its sandbox
        session.call("keep", (1,), {}, standins=DOUBLE)
    assert session.call("keep", (1,), {}, standins=DOUBLE).value == 0  # a fresh sandbox


def test_many_stand_in_round_trips_stay_cheap(sandbox):
    session = sandbox(
        "def f(n):\n    total = 0.0\n    for i in range(n):\n"
        "        total += g(i)\n    return total\n"
    )
    start = time.monotonic()
    assert session.call("f", (2000,), {}, standins=DOUBLE).value == 2 * sum(range(2000))
    assert time.monotonic() - start < LIMITS.call_seconds


# ---------------------------------------------------------------- frames are checked before use

FORGE = """
import json, os, struct, sys


def _send(message):
    body = json.dumps(message).encode()
    os.write(int(sys.argv[2]), struct.pack("<Q", len(body)) + body)


def _request_id():
    frame = sys._getframe()
    while frame is not None:
        request = frame.f_locals.get("request")
        if isinstance(request, dict):
            return request.get("id")
        frame = frame.f_back


def reply(text):
    message = json.loads(text)
    message["id"] = _request_id()
    _send(message)
    import time
    time.sleep(30)


def ok(x=1):
    return x
"""

READY = "\n\nclass _Forged:\n    _send({text})\n"


@pytest.mark.parametrize(
    "text",
    [
        '{"ready": True, "defined": 5, "errors": []}',
        '{"ready": True, "defined": ["ok"], "errors": 7}',
        '{"ready": True, "defined": ["ok"], "errors": [{"chunk": "x"}]}',
        '{"ready": True, "defined": ["ok", 3], "errors": []}',
        '{"loading": "x"}',
        '{"ok": True, "value": 1}',
    ],
    ids=["defined-int", "errors-int", "chunk-str", "name-int", "loading-str", "a-reply"],
)
def test_a_forged_ready_frame_breaks_the_protocol_and_leaves_nothing(sandbox, isolation, text):
    session = sandbox(FORGE + READY.format(text=text))
    with pytest.raises(Crashed, match="broke the grading protocol"):
        call(session, "ok", 1)
    assert session._box is None and session._pending is None
    if not isolation.warm:  # a cold sandbox is found by its scratch folder on its command line
        assert sandbox_pids(session) == []
    session.close()


@pytest.mark.parametrize(
    "reply",
    [
        '{"ok": true, "value": 1, "mutated": 7, "warnings": []}',
        '{"ok": true, "value": 1, "mutated": [], "warnings": [1]}',
        '{"ok": true, "value": 1}',
        '{"ok": false, "error": "text"}',
        '{"ok": false, "error": {"type": 5}}',
        '{"ok": "yes", "error": {"type": "X"}}',
        '{"op": "standin", "fn": 5, "args": [], "kwargs": {"d": {}}}',
        '{"op": "standin", "fn": "g"}',
    ],
)
def test_a_forged_reply_of_the_wrong_shape_breaks_the_protocol(sandbox, reply):
    session = sandbox(FORGE)
    with pytest.raises(Crashed, match="broke the grading protocol"):
        session.call("reply", (reply,), {}, standins=DOUBLE)
    assert session._box is None
    assert call(session, "ok", 4) == 4  # a fresh sandbox


@pytest.mark.parametrize(
    ("number", "expected"),
    [("1e400", float("inf")), ("-12345678901234567890", -1.2345678901234567e19)],
)
def test_huge_json_numbers_arrive_as_floats(sandbox, number, expected):
    text = '{"ok": true, "value": NUMBER, "mutated": [], "warnings": []}'.replace("NUMBER", number)
    assert call(sandbox(FORGE), "reply", text) == expected


def test_a_json_integer_of_hundreds_of_digits_is_a_clean_crash(sandbox):
    text = '{"ok": true, "value": 1%s, "mutated": [], "warnings": []}' % ("0" * 400)
    with pytest.raises(Crashed, match="cannot read"):
        call(sandbox(FORGE), "reply", text)


def test_huge_integers_decode_as_floats_or_wire_errors():
    assert wire.decode(2**70) == float(2**70)
    assert wire.decode([-(2**63)]) == [float(-(2**63))]
    with pytest.raises(wire.WireError):
        wire.decode(10**400)


# ---------------------------------------------------------------- forged frames and stalls

FRAME_WRITER = (
    "import json, os, struct, sys\n\n"
    "def _frame(message):\n"
    "    body = json.dumps(message).encode()\n"
    "    return struct.pack('<Q', len(body)) + body\n\n"
)


def test_a_forged_ready_frame_is_checked_field_by_field(sandbox):
    forged = "{'ready': True, 'defined': 5, 'errors': 'x' * 10}"
    session = sandbox(
        FRAME_WRITER + f"def f(_=os.write(int(sys.argv[2]), _frame({forged}))):\n    return 1\n"
    )
    with pytest.raises(Crashed, match="broke the grading protocol"):
        call(session, "f")
    assert session._box is None and session.defined == set()


def test_a_sandbox_that_stops_reading_cannot_stall_the_grader(sandbox):
    session = sandbox(
        FRAME_WRITER + "import time\n\n"
        "def stall(request_id):\n"
        "    reply = {'id': request_id, 'ok': True, 'value': 1, 'mutated': [], 'warnings': []}\n"
        "    os.write(int(sys.argv[2]), _frame(reply))\n"
        "    time.sleep(1000)\n\n"
        "def f(x):\n    return 2\n",
        call_seconds=2,
    )
    assert session.call("stall", (session._requests + 1,), {}).value == 1  # its forged reply
    start = time.monotonic()
    with pytest.raises((TimedOut, Crashed)):  # the next request does not fit in the pipe
        session.call("f", (np.zeros(200_000),), {})
    assert time.monotonic() - start < 10
    assert call(session, "f", 1) == 2  # a fresh sandbox


MAKER = """
import subprocess, sys, time
from autograder.sandbox.cgroup import SandboxCgroup
group = SandboxCgroup(processes=8, memory_bytes=2**28)
inside = subprocess.Popen(["sleep", "60"], preexec_fn=group.join) if sys.argv[1] == "busy" else None
print(" ".join(map(str, group.paths)), inside.pid if inside else 0, flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not cgroup.layout(), reason="sandbox cgroups need root")
def test_cgroups_of_a_killed_grader_are_swept_and_no_other():
    """A grading worker killed by SIGKILL leaves its sandboxes' cgroups; the next run removes the
    empty ones, never one with a process inside nor one whose maker lives."""
    left = {}
    for kind in ("empty", "busy"):
        maker = subprocess.Popen([sys.executable, "-c", MAKER, kind], stdout=subprocess.PIPE,
                                 text=True)  # fmt: skip
        *paths, inside = maker.stdout.readline().split()
        maker.kill()
        maker.wait()
        left[kind] = ([Path(p) for p in paths], int(inside))
    ours = cgroup.SandboxCgroup(processes=8, memory_bytes=2**28)
    try:
        assert all(p.exists() for paths, _ in left.values() for p in paths)
        removed = cgroup.sweep()
        assert set(left["empty"][0]) <= set(removed)
        assert not any(p.exists() for p in left["empty"][0])
        assert all(p.exists() for p in left["busy"][0] + ours.paths)
    finally:
        os.kill(left["busy"][1], 9)
        ours.destroy()
    deadline = time.monotonic() + 10  # the killed process leaves its group once reaped
    while any(p.exists() for p in left["busy"][0]) and time.monotonic() < deadline:
        cgroup.sweep()
        time.sleep(0.05)
    assert not any(p.exists() for p in left["busy"][0])
