"""Runs inside the sandbox: loads a submission's definitions, then answers call requests.

Everything here is untrusted once the submission is loaded; the trusted side only ever reads
plain data from it. This file is copied into the sandbox with wire.py beside it.
"""

from __future__ import annotations

import builtins
import copy
import importlib.abc
import importlib.machinery
import json
import os
import signal
import struct
import sys
import threading
import types
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np
import numpy_errors
import wire

_same = wire.same  # the mutation check

MESSAGE_CHARS = 300
STUBBED = {"matplotlib", "seaborn", "IPython", "ipywidgets", "plotly", "tqdm"}


class _Anything:
    """A stand-in that accepts every attribute and call: plotting does nothing here."""

    def __getattr__(self, name: str) -> _Anything:
        if name.startswith("__"):
            raise AttributeError(name)
        return _Anything()

    def __call__(self, *args: object, **kwargs: object) -> _Anything:
        return _Anything()

    def __iter__(self):  # `fig, ax = plt.subplots()` unpacks two stand-ins
        return iter((_Anything(), _Anything()))


def _passthrough(iterable=None, *args, **kwargs):
    return iterable if iterable is not None else _Anything()


class _StubFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports of plotting and notebook-display packages, and their submodules, get stand-ins."""

    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in STUBBED:
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        module = types.ModuleType(spec.name)
        module.__path__ = []
        module.__getattr__ = lambda attr: _Anything()
        if spec.name.split(".")[0] == "tqdm":
            module.tqdm = module.trange = _passthrough
        return module

    def exec_module(self, module) -> None:
        pass


def _install_stubs() -> None:
    """Plotting and progress bars become no-ops: grading needs the calls, not the output."""
    sys.meta_path.insert(0, _StubFinder())


class _Sink:
    """Swallows what the submission prints."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _read_exact(fd: int, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            raise EOFError
        data += chunk
    return data


def _read_frame(fd: int) -> dict:
    (length,) = struct.unpack("<Q", _read_exact(fd, 8))
    return wire.parse_frame(_read_exact(fd, length))


def _describe(exc: BaseException) -> dict:
    """Exception type, a short message, and where in the submission it happened."""
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith("cell "):
            where = f"{name}, line {tb.tb_lineno}, in {tb.tb_frame.f_code.co_name}"
        tb = tb.tb_next
    try:
        message = str(exc)[:MESSAGE_CHARS]
    except BaseException:  # a hostile __str__
        message = ""
    return {"type": type(exc).__name__[:80], "message": message, "where": where}


def _load(namespace: dict, chunks: list[dict], skip: set[int], send) -> list[dict]:
    errors = []
    for i, chunk in enumerate(chunks):
        if i in skip:
            continue
        send({"loading": i})
        try:
            code = compile("\n" * (chunk["line"] - 1) + chunk["source"], chunk["cell"], "exec")
            exec(code, namespace)
        except BaseException as e:  # a failing cell costs only its own definitions
            errors.append({"chunk": i, **_describe(e)})
    return errors


class _StandIn:
    """A graded function's model answer, for one call: it asks the trusted side for the value.

    The model answer itself never comes here; only the values it returns. A stand-in works only
    during the call it was made for, and only in the thread that made that call.
    """

    def __init__(self, name: str, call: dict, ask) -> None:
        self.name, self._call, self._ask = name, call, ask
        self._thread = threading.get_ident()

    def __call__(self, *args: object, **kwargs: object) -> object:
        if not self._call["active"] or threading.get_ident() != self._thread:
            raise RuntimeError(f"{self.name} can only be used during the call that received it")
        frame = {"op": "standin", "id": self._call["id"], "fn": self.name}
        answer = self._ask(
            {**frame, "args": wire.encode(list(args)), "kwargs": wire.encode(kwargs)}
        )
        if answer.get("ok") is True:
            _advance(answer.get("rngs"), [*enumerate(args), *kwargs.items()])
            return wire.decode(answer.get("value"))
        error = answer.get("error") if isinstance(answer.get("error"), dict) else {}
        kind = getattr(builtins, str(error.get("type")), None)
        kind = kind if isinstance(kind, type) and issubclass(kind, Exception) else RuntimeError
        raise kind(str(error.get("message", ""))[:MESSAGE_CHARS])


def _advance(states: object, arguments: list) -> None:
    """Random generators passed to a stand-in move on as the model answer moved them."""
    states = states if isinstance(states, dict) else {}
    for key, value in arguments:
        if isinstance(value, np.random.Generator) and str(key) in states:
            value.bit_generator.state = wire.decode(states[str(key)]).bit_generator.state


def _swap_in_tables(namespace: dict, proxies: dict[int, object]) -> list[tuple]:
    """A module-level dict of functions ({"relu": relu}) reaches the stand-ins too."""
    swapped = []
    for table in [v for v in namespace.values() if type(v) is dict]:
        for key, value in list(table.items()):
            if id(value) in proxies:
                swapped.append((table, key, value))
                table[key] = proxies[id(value)]
    return swapped


def _call(namespace: dict, request: dict, ask) -> dict:
    fn = namespace.get(request["fn"])
    if not callable(fn):
        return {"ok": False, "error": {"type": "Missing", "message": "", "where": ""}}
    args, kwargs = wire.decode(request["args"]), wire.decode(request["kwargs"])
    before = copy.deepcopy((args, kwargs))
    call = {"id": request.get("id"), "active": True}
    names = [n for n in request.get("standins", []) if isinstance(n, str)]
    saved = {n: namespace[n] for n in names if n in namespace}
    proxies = {n: _StandIn(n, call, ask) for n in names}
    namespace.update(proxies)
    tables = _swap_in_tables(namespace, {id(f): proxies[n] for n, f in saved.items()})
    try:
        with warnings.catch_warnings(record=True) as caught, numpy_errors.heard() as heard:
            warnings.simplefilter("always")
            value = fn(*args, **kwargs)
    except BaseException as e:
        return {"ok": False, "error": _describe(e)}
    finally:
        call["active"] = False
        for n in names:
            namespace.pop(n, None)
        namespace.update(saved)
        for table, key, original in tables:
            table[key] = original
    said = sorted({f"{w.category.__name__}: {w.message}"[:120] for w in caught} | {*heard})[:5]
    pairs = enumerate(zip(args, before[0], strict=True))
    mutated = [f"argument {i + 1}" for i, (a, b) in pairs if not _same(b, a)]
    mutated += [name for name in kwargs if not _same(before[1][name], kwargs[name])]
    return {"ok": True, "value": wire.encode(value), "mutated": mutated, "warnings": said}


def main() -> None:
    with open(sys.argv[3]) as f:
        program = json.load(f)
    serve(int(sys.argv[1]), int(sys.argv[2]), program)


def serve(request_fd: int, reply_fd: int, program: dict) -> None:
    """Load the program's chunks, then answer calls (a warm sandbox calls this after fork)."""
    send = lambda message: wire.write_frame(reply_fd, message)  # noqa: E731
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = _Sink()
    _install_stubs()
    numpy_errors.install()
    np.random.default_rng(0)  # the first generator costs ~40 ms: pay it before the first call
    namespace: dict = {"__name__": "submission", "__builtins__": builtins}
    errors = _load(namespace, program["chunks"], set(program["skip"]), send)
    defined = sorted(k for k, v in namespace.items() if callable(v) and not k.startswith("__"))
    send({"ready": True, "defined": defined, "errors": errors})

    def ask(frame: dict) -> dict:
        send(frame)
        return _read_frame(request_fd)

    while True:
        request = _read_frame(request_fd)
        if request.get("op") != "call":
            return
        try:
            reply = _call(namespace, request, ask)
        except BaseException as e:  # an unencodable result or a hostile object
            reply = {"ok": False, "error": _describe(e)}
        send({**reply, "id": request.get("id")})


if __name__ == "__main__":
    main()
