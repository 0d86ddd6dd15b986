"""One submission's sandbox, seen from the trusted side: calls go in as data, data comes out."""

from __future__ import annotations

import builtins
import json
import os
import resource
import select
import shutil
import struct
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

from autograder import wire
from autograder.config import Limits
from autograder.model import Program, Reply
from autograder.problems import Crashed, Missing, TimedOut, raised
from autograder.sandbox import zygote
from autograder.sandbox.launcher import Isolation, Launched, launch

HERE = Path(__file__).parent
COPIED = (
    HERE / "worker.py",
    HERE / "numpy_errors.py",
    Path(wire.__file__),
)  # what the sandbox runs, beside each other
MAX_LOAD_ATTEMPTS = 3
MAX_TIMEOUTS = 2  # after this many, a function that hangs is not called again
MAX_STANDIN_CALLS = 200_000  # model-answer requests in one call
STANDIN_MEMORY = 2**30  # address space a model answer may add to the grader's process


class _Timeout(Exception):
    pass


class _Gone(Exception):
    pass


class StudentSession:
    """Runs calls of the student's functions in a sandbox, restarting it after a crash."""

    def __init__(
        self, program: Program, *, limits: Limits, isolation: Isolation, secret: list[Path]
    ) -> None:
        self.program, self.limits, self.isolation, self.secret = program, limits, isolation, secret
        self.skip: set[int] = set()
        self.defined: set[str] = set()
        self.load_errors: list[dict] = []
        self.spent = 0.0
        self.slowest: tuple[float, str] = (0.0, "")
        self._box: Launched | None = None
        self._pending: Launched | None = None
        self._timeouts: dict[str, int] = {}
        self._requests = 0
        self._scratch = Path(tempfile.mkdtemp(prefix="nnkit-"))
        for path in COPIED:
            shutil.copy(path, self._scratch / path.name)

    # ------------------------------------------------------------ lifecycle

    def _launch(self) -> Launched | zygote.WarmBox:
        program = {"chunks": self.program.chunks, "skip": sorted(self.skip)}
        if self.isolation.warm:  # forked from this worker's zygote, if it has one
            box = zygote.launch(program, limits=self.limits, secret=self.secret)
            if box:
                return box
        (self._scratch / "program.json").write_text(json.dumps(program))
        return launch(self.isolation, self._scratch, self.limits, self.secret)

    def prestart(self) -> None:
        """Start the sandbox now, so that it loads while the suite is being collected."""
        self._pending = self._pending or self._launch()

    def _start(self) -> None:
        begun = time.monotonic()
        try:
            self._load()
        finally:  # loading, and reloading after a crash, is charged to the submission's budget
            self.spent += time.monotonic() - begun

    def _load(self) -> None:
        for _ in range(MAX_LOAD_ATTEMPTS):
            box, self._pending = self._pending or self._launch(), None
            loading, deadline, kept = None, time.monotonic() + self.limits.load_seconds, False
            try:
                while True:
                    message = self._read(box, deadline)
                    if _LOADING.keys() == message.keys() and type(message["loading"]) is int:
                        loading = message["loading"]
                        continue
                    self.defined, self.load_errors = _ready(message)
                    self._box, kept = box, True
                    return
            except (_Timeout, _Gone, wire.WireError):
                if not isinstance(loading, int) or loading in self.skip:
                    break
                self.skip.add(loading)
            except _Broken:
                raise Crashed(BROKE.format(what="Loading your code")) from None
            finally:  # every path keeps the sandbox or kills it
                if not kept:
                    box.kill()
        raise Crashed("Your code could not be loaded: it crashed or hung while defining functions.")

    def close(self) -> None:
        """Stop the sandbox, kill everything it started, and delete its scratch folder."""
        for box in (self._box, self._pending):
            if box:
                box.kill()
        self._box = self._pending = None
        shutil.rmtree(self._scratch, ignore_errors=True)

    def __enter__(self) -> StudentSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ calls

    def call(
        self,
        fn: str,
        args: tuple,
        kwargs: dict,
        *,
        seconds: float | None = None,
        standins: Mapping[str, Callable[..., object]] | None = None,
    ) -> Reply:
        """Call `fn(*args, **kwargs)` in the sandbox; raises a Problem for anything but a value.

        During the call, each name in `standins` resolves, in the submission, to that trusted
        function (the model answer): the sandbox asks for its values, it never gets its code.
        """
        standins = dict(standins or {})
        left = self.limits.submission_seconds - self.spent
        if left <= 0:
            raise TimedOut(
                f"{fn} was not run: your submission used up its total time budget of "
                f"{self.limits.submission_seconds:g} s in earlier calls."
            )
        if self._box is None:
            self._start()
        if self._timeouts.get(fn, 0) >= MAX_TIMEOUTS:
            raise TimedOut(
                f"`{fn}` was not run again: it already took too long {MAX_TIMEOUTS} times."
            )
        if fn not in self.defined:
            raise Missing(
                f"There is no function named `{fn}` in your submission. "
                "Check the spelling, and that its cell has no syntax error."
            )
        assert self._box is not None
        limit = min(seconds or self.limits.call_seconds, left)
        self._requests += 1
        request = {"op": "call", "id": self._requests, "fn": fn, "standins": sorted(standins),
                   "args": wire.encode(list(args)), "kwargs": wire.encode(kwargs)}  # fmt: skip
        start = time.monotonic()
        used: set[str] = set()
        try:
            _write(self._box.request_fd, wire.frame(request), start + limit)
            message = self._reply(self._box, start + limit, standins, used)
        except _Timeout:
            self._restart()
            self._timeouts[fn] = self._timeouts.get(fn, 0) + 1
            raise TimedOut(
                f"`{fn}` did not finish within {limit:g} s. Look for a loop that "
                "never ends, or work that grows much faster than the input."
            ) from None
        except _Broken:
            self._restart()
            raise Crashed(BROKE.format(what=f"Calling `{fn}`")) from None
        except (_Gone, wire.WireError, OSError):
            self._restart()
            raise Crashed(
                f"Calling `{fn}` ended the grading process: it exited (sys.exit or "
                "os._exit), crashed, or ran out of memory."
            ) from None
        except BaseException:  # the grader's own error, or Ctrl-C: this sandbox is not reused
            self._restart()
            raise
        finally:
            took = time.monotonic() - start
            self.spent += took
            self.slowest = max(self.slowest, (took, fn))
        if not message["ok"]:
            raise raised(fn, message["error"])
        try:
            value = wire.decode(message["value"])
        except wire.WireError:
            raise Crashed(f"`{fn}` returned something the grader cannot read.") from None
        return Reply(value, message["mutated"], message["warnings"], took, sorted(used))

    def _reply(self, box, deadline: float, standins: dict, used: set[str]) -> dict:
        """The call's reply, answering the stand-in requests that come before it."""
        asked = 0
        while True:
            message = self._read(box, deadline)
            if message.get("id") != self._requests:  # a frame the student's code wrote
                continue
            if message.get("op") != "standin":
                return _checked_reply(message)
            _check(message, _STANDIN)
            asked += 1
            name = message["fn"]
            if asked > MAX_STANDIN_CALLS or name not in standins:
                answer = {"ok": False, "error": {"type": "RuntimeError", "message": "refused"}}
            else:
                used.add(name)
                answer = _model_answer(standins[name], message)
            _write(box.request_fd, wire.frame(answer), deadline)

    def _restart(self) -> None:
        if self._box:
            self._box.kill()
        self._box = None

    @staticmethod
    def _read(box: Launched, deadline: float) -> dict:
        header = _read_exact(box.reply_fd, 8, deadline)
        (length,) = struct.unpack("<Q", header)
        if length > wire.MAX_FRAME:
            raise wire.WireError("frame too large")
        return wire.parse_frame(_read_exact(box.reply_fd, length, deadline))


# ------------------------------------------------------------ frame schemas (hostile data)

BROKE = "{what} broke the grading protocol: the grader stopped reading from your code."
MAX_NAMES = 10_000  # functions a submission may define
MAX_NAME = 200  # characters in a name, a warning or a location
MAX_ERRORS = 1_000  # failing chunks reported at load time
_ANY = object()
_LOADING = {"loading": int}
_STANDIN = {"op": str, "id": int, "fn": str, "args": _ANY, "kwargs": _ANY}
_ERROR = {"type": str, "message": str, "where": str}


class _Broken(Exception):
    """A frame that does not follow the protocol: the submission forged or broke it."""


def _check(message: dict, schema: dict, *, optional: tuple[str, ...] = ()) -> None:
    """Raise _Broken unless `message` has exactly the schema's keys, with the schema's types."""
    if not set(schema) - set(optional) <= message.keys() <= set(schema):
        raise _Broken
    for key, kind in schema.items():
        if key in message and kind is not _ANY and type(message[key]) is not kind:
            raise _Broken


def _strings(value: object, most: int, chars: int) -> list[str]:
    if type(value) is not list or len(value) > most:
        raise _Broken
    if not all(type(v) is str for v in value):
        raise _Broken
    return [v[:chars] for v in value]


def _error(value: object) -> dict:
    if type(value) is not dict:
        raise _Broken
    _check(value, _ERROR, optional=("where", "message"))
    return {key: str(value.get(key, ""))[: MAX_NAME if key != "message" else 300] for key in _ERROR}


def _ready(message: dict) -> tuple[set[str], list[dict]]:
    """The names the submission defined and its load errors, from a checked 'ready' frame."""
    _check(message, {"ready": bool, "defined": list, "errors": list})
    errors = message["errors"]
    if len(errors) > MAX_ERRORS or not all(type(e) is dict for e in errors):
        raise _Broken
    checked = []
    for e in errors:
        if type(e.get("chunk")) is not int:
            raise _Broken
        rest = {k: v for k, v in e.items() if k != "chunk"}
        checked.append({"chunk": e["chunk"], **_error(rest)})
    return set(_strings(message["defined"], MAX_NAMES, MAX_NAME)), checked


def _checked_reply(message: dict) -> dict:
    """A call's checked reply: ok with a value, mutated and warnings, or not ok with an error."""
    if message.get("ok") is True:
        _check(message, {"ok": bool, "id": int, "value": _ANY, "mutated": list, "warnings": list})
        mutated = _strings(message["mutated"], MAX_NAMES, MAX_NAME)
        return {**message, "mutated": mutated, "warnings": _strings(message["warnings"], 5, 120)}
    _check(message, {"ok": bool, "id": int, "error": dict})
    return {**message, "error": _error(message["error"])}


def _model_answer(model: Callable[..., object], message: dict) -> dict:
    """A stand-in's value, computed here with a memory budget; its error, if it raises."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:
        in_use = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    cap = in_use + STANDIN_MEMORY
    try:
        args, kwargs = wire.decode(message.get("args")), wire.decode(message.get("kwargs"))
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise wire.WireError("arguments are not a list and a dict")
        resource.setrlimit(
            resource.RLIMIT_AS, (cap if hard == resource.RLIM_INFINITY else min(cap, hard), hard)
        )
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = model(*args, **kwargs)
        rngs = {
            str(key): wire.encode(arg)
            for key, arg in [*enumerate(args), *kwargs.items()]
            if isinstance(arg, np.random.Generator)
        }  # a generator the model drew from moves on in the sandbox too
        return {"ok": True, "value": wire.encode(value), "rngs": rngs}
    except wire.WireError:
        return {"ok": False, "error": {"type": "TypeError", "message": "arguments the grader "
                                       "cannot read"}}  # fmt: skip
    except Exception as e:  # the model answer's own error: its kind only, never its text
        kind = type(e).__name__ if getattr(builtins, type(e).__name__, None) is type(e) else ""
        said = f"the grader's {getattr(model, '__name__', 'function')} failed on these arguments"
        return {"ok": False, "error": {"type": kind or "RuntimeError", "message": said}}
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def _write(fd: int, data: bytes, deadline: float) -> None:
    """Write all of `data`, or raise _Timeout at the deadline: a sandbox may stop reading."""
    os.set_blocking(fd, False)
    while data:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([], [fd], [], left)[1]:
            raise _Timeout
        try:
            data = data[os.write(fd, data[: 1 << 16]) :]
        except BlockingIOError:
            continue
        except BrokenPipeError:
            raise _Gone from None


def _read_exact(fd: int, n: int, deadline: float) -> bytes:
    chunks, got = [], 0
    while got < n:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            raise _Timeout
        chunk = os.read(fd, min(n - got, 1 << 20))
        if not chunk:
            raise _Gone
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)
