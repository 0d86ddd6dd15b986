"""The public checks inside a student's notebook: `check("sigmoid")`.

This module is not imported by the kit. `autograder.author.checkfile` copies it, together with
the grader's own problems, wire format and comparisons, into the `nnkit_check.py` that ships next to
each student notebook, followed by the assignment's public tests. The imports from `autograder`
below name what is inlined there; nnkit_check.py needs only numpy and pytest.

`check("fn")` runs fn's public tests with pytest, in the notebook's own process, on the function
the notebook defines. Arguments and results go through the grader's wire format, so the function
sees exactly what the sandboxed grader would give it, and the checks see exactly what the grader
would get back. The expected values were computed by the reference when the notebook was
generated and are stored below; the reference itself is not shipped.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import io
import json
import os
import sys
import time
import warnings
import zlib
from dataclasses import field  # noqa: F401 (Reply, inlined from model.py, uses it)

import numpy as np
import pytest

from autograder.model import Outcome, Reply
from autograder.problems import Crashed, Missing, raised
from autograder.suite.diagnose import first_match
from autograder.suite.plugin import SuitePlugin, cache_key, without_plugins
from autograder.wire import WireError, decode, encode, same

# Filled in by the generator, after this section.
ASSIGNMENT = ""
FUNCTIONS: dict[str, dict] = {}  # graded function -> {"public": checks, "hidden": tests}
RECORDED = ""  # expected values of the public tests: zlib-compressed JSON, base64
# Only for the instructor-side copy in an otter autograder (autograder/export/otter.py): run the
# hidden tests too. nnkit_check.py, which students get, holds no hidden test and keeps this False.
INCLUDE_HIDDEN = False


class _NotRecorded(Exception):
    """A public test asked the reference for a value that was not stored with the notebook."""


# ---------------------------------------------------------------- the student's functions


def _through_wire(value: object) -> object:
    """The value as it arrives on the other side of the grader's wire."""
    return decode(json.loads(json.dumps(encode(value), allow_nan=False)))


def _where(exc: BaseException) -> str:
    """The notebook line that raised, as 'line N, in fn', when it is the student's code."""
    where, tb = "", exc.__traceback__
    here = os.path.abspath(__file__)
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        ours = os.path.abspath(name) == here or "-packages" in name
        if not ours and not name.startswith(sys.base_prefix):
            where = f"line {tb.tb_lineno}, in {tb.tb_frame.f_code.co_name}"
        tb = tb.tb_next
    return where


class LocalStudent:
    """Calls the notebook's functions the way the grader calls them in its sandbox."""

    def __init__(self, namespace: dict) -> None:
        self._namespace = namespace

    def __getattr__(self, fn: str):
        if fn.startswith("_"):
            raise AttributeError(fn)
        return lambda *args, **kwargs: self.call(fn, *args, **kwargs).value

    def call(self, fn: str, *args: object, seconds: float | None = None, **kwargs: object) -> Reply:
        target = self._namespace.get(fn)
        if not callable(target):
            raise Missing(
                f"There is no function named `{fn}` in this notebook yet. Check the spelling, "
                "and run the cell that defines it (the grader reads the notebook you submit)."
            )
        args_in, kwargs_in = _through_wire(list(args)), _through_wire(kwargs)
        before = copy.deepcopy((args_in, kwargs_in))
        start = time.monotonic()
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = target(*args_in, **kwargs_in)
        except (Exception, SystemExit) as e:
            error = {"type": type(e).__name__, "message": str(e)[:300], "where": _where(e)}
            raise raised(fn, error) from None
        took = time.monotonic() - start
        said = sorted({f"{w.category.__name__}: {w.message}"[:120] for w in caught})[:5]
        pairs = enumerate(zip(args_in, before[0], strict=True))
        mutated = [f"argument {i + 1}" for i, (a, b) in pairs if not same(b, a)]
        mutated += [name for name in kwargs_in if not same(before[1][name], kwargs_in[name])]
        try:
            value = _through_wire(value)
        except (WireError, TypeError, ValueError, RecursionError):
            raise Crashed(f"`{fn}` returned something the grader cannot read.") from None
        return Reply(value, mutated, said, took)


# ---------------------------------------------------------------- the stored expected values


def _close(a: object, b: object) -> bool:
    """The same structure, and numbers equal up to rounding: a fallback when bits differ."""
    if isinstance(a, np.ndarray | np.generic) or isinstance(b, np.ndarray | np.generic):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
            return False
        if a.dtype.kind not in "fc":
            return bool(np.array_equal(a, b))
        return bool(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(_close, a, b))
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True))
    return type(a) is type(b) and a == b


class _Store:
    """The expected values recorded with the reference when the notebook was generated.

    Each call is stored as [kind, name, key, arguments, result]: the key is the hash of the
    arguments as the test passed them, and the arguments serve a fallback that compares numbers
    up to rounding, for a machine whose arithmetic differs in the last bits.
    """

    def __init__(self, blob: str) -> None:
        data = json.loads(zlib.decompress(base64.b64decode(blob))) if blob else {}
        self.attributes: dict = data.get("attributes", {})
        self.calls: dict[str, list] = {}
        self.by_name: dict[str, list] = {}
        for entry in data.get("calls", []):
            self.calls[entry[2]] = entry
            self.by_name.setdefault(f"{entry[0]}:{entry[1]}", []).append(entry)

    def find(self, kind: str, name: str, args: list) -> list:
        entry = self.calls.get(cache_key(kind, name, args) or "")
        if entry is not None:
            return entry
        wired = _through_wire(args)
        for candidate in self.by_name.get(f"{kind}:{name}", []):
            if _close(decode(candidate[3]), wired):
                return candidate
        raise _NotRecorded(f"no stored value for {name} on these inputs")


class ReplayReference:
    """Stands for the reference in public tests: returns the stored results."""

    def __init__(self, store: _Store) -> None:
        self._store = store

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in self._store.attributes:
            return decode(self._store.attributes[name])

        def call(*args: object, **kwargs: object) -> object:
            return decode(self._store.find("reference", name, [list(args), kwargs])[4])

        return call


def _diagnoser(known: list) -> object:
    return lambda got: first_match(known, got)


class ReplayMistakes:
    """Stands for the mistake catalogue: names a mistake that the stored wrong results match."""

    def __init__(self, store: _Store) -> None:
        self._store = store

    def __call__(self, function: str, *args: object, part: object = None, **kwargs: object):
        try:
            entry = self._store.find("mistakes", function, [list(args), kwargs, part])
            known = list(decode(entry[4]))
        except _NotRecorded:
            known = []
        return _diagnoser(known)


class Recording:
    """Used once, when the notebook is generated: runs the reference and stores what it says."""

    def __init__(self, module: object, catalogue: object) -> None:
        self.module, self.catalogue = module, catalogue
        self.calls: dict[str, list] = {}
        self.attributes: dict[str, object] = {}

    def _store(self, kind: str, name: str, args: list, result: object) -> None:
        key = cache_key(kind, name, args)
        if key is None:  # not plain data: the replay could not find it either
            return
        self.calls[key] = [kind, name, key, encode(args), encode(result)]

    @property
    def reference(self) -> object:
        recording = self

        class _Reference:
            def __getattr__(self, name: str):
                target = getattr(recording.module, name)
                if not callable(target):
                    recording.attributes[name] = encode(target)
                    return target

                def call(*args: object, **kwargs: object) -> object:
                    saved = copy.deepcopy([list(args), kwargs])
                    result = target(*args, **kwargs)
                    recording._store("reference", name, saved, result)
                    return copy.deepcopy(result)

                return call

        return _Reference()

    def mistakes(self, function: str, *args: object, part: object = None, **kwargs: object):
        known = []
        if self.catalogue:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                known = self.catalogue.known(function, *args, part=part, **kwargs)
        self._store("mistakes", function, [list(args), kwargs, part], known)
        return _diagnoser(known)

    def dump(self) -> str:
        data = {"attributes": self.attributes, "calls": list(self.calls.values())}
        text = json.dumps(data, allow_nan=False, sort_keys=True)
        return base64.b64encode(zlib.compress(text.encode(), 9)).decode()


# ---------------------------------------------------------------- pytest, in the notebook


def run_checks(
    functions: list[str] | None = None,
    *,
    namespace: dict | None = None,
    reference: object = None,
    mistakes: object = None,
) -> list[Outcome]:
    """Run the public tests of `functions` (all when None) on the functions in `namespace`."""
    if namespace is None:
        namespace = vars(sys.modules["__main__"])
    store = None
    if reference is None or mistakes is None:
        store = _Store(RECORDED)
    plugin = SuitePlugin(
        reference if reference is not None else ReplayReference(store),
        mistakes if mistakes is not None else ReplayMistakes(store),
        functions=set(functions) if functions is not None else None,
        public_only=not INCLUDE_HIDDEN,
    )
    plugin.begin(LocalStudent(namespace))
    here = os.path.abspath(__file__)
    args = [
        here,
        "-q",
        "--tb=no",  # the messages come from the grader's own checks; tracebacks cost 0.16 s each
        "--assert=plain",
        "--capture=sys",
        "--noconftest",
        "-c",
        os.devnull,
        "--rootdir",
        os.path.dirname(here),
        "-W",
        "ignore::pytest.PytestWarning",
    ]
    args += without_plugins()
    path = list(sys.path)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = pytest.main(args, plugins=[plugin])
    finally:
        sys.path[:] = path
    if int(code) not in (0, 1, 5):
        raise RuntimeError(f"The public checks could not run (pytest exit code {int(code)}).")
    return plugin.outcomes


# ---------------------------------------------------------------- what the student sees


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def _is_stub(target: object) -> bool:
    """Still the generated stub: its code raises the 'is not implemented yet' error."""
    code = getattr(target, "__code__", None)
    return code is not None and any(
        isinstance(c, str) and c.endswith("then run check('" + code.co_name + "').")
        for c in code.co_consts
    )


def summarise(
    function: str, outcomes: list[Outcome], *, defined: bool = True, stub: bool = False
) -> str:
    """The report for one function, in plain words."""
    hidden = FUNCTIONS.get(function, {}).get("hidden", 0)
    later = (
        " Hidden tests will also grade this function."
        if hidden
        else " The grader runs these same checks."
    )
    if not outcomes and not defined:
        return (
            f"There is no function named `{function}` in this notebook yet. Check the spelling, "
            "and run the cell that defines it."
        )
    if not outcomes and stub:
        return (
            f"{function} is not implemented yet: it still raises NotImplementedError. "
            "Write its body and run its cell. It has no public checks: hidden tests will grade "
            "it, so try it on your own examples."
        )
    if not outcomes:
        return (
            f"{function}: there are no public checks for this function. Hidden tests will "
            "grade it: try it on your own examples."
        )
    passed = sum(o.passed for o in outcomes)
    total = len(outcomes)
    if passed == total:
        return f"{function}: {passed} of {total} public checks passed.{later}"
    failed = [o for o in outcomes if not o.passed]
    if all(o.kind == "missing" for o in failed):
        return failed[0].output
    if all("NotImplementedError" in o.output for o in failed):
        return (
            f"{function} is not implemented yet: it still raises NotImplementedError. "
            f'Write its body, run its cell, then run check("{function}") again.'
        )
    lines = [f"{function}: {passed} of {total} public checks passed."]
    for o in failed:
        lines.append(f"  ✗ {o.title}")
        lines.append(_indent(o.output))
        if o.debug:
            lines.append(_indent(f"({o.debug})"))
    lines.append(f'Fix this, run the cell again, then run check("{function}").{later}')
    return "\n".join(lines)


def _written(target: object, outcomes: list[Outcome]) -> bool:
    """The student wrote this function: defined, not the stub, and not raising its stub error."""
    failed = [o for o in outcomes if not o.passed]
    return (
        callable(target)
        and not _is_stub(target)
        and not (failed and all("NotImplementedError" in o.output for o in failed))
    )


def _listed(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def check(function: str | None = None) -> None:
    """Run the public checks of one graded function (or of all of them) and print the results."""
    if function is not None and function not in FUNCTIONS:
        known = ", ".join(FUNCTIONS)
        print(f"There is no graded function named {function!r}. The graded functions are: {known}.")
        return
    names = [function] if function is not None else list(FUNCTIONS)
    uses = {d for name in names for d in FUNCTIONS[name].get("calls", [])}
    namespace = vars(sys.modules["__main__"])
    outcomes = run_checks([*names, *sorted(uses - set(names))], namespace=namespace)
    failing = {o.function for o in outcomes if not o.passed}
    for name in names:
        mine = [o for o in outcomes if o.function == name]
        target = namespace.get(name)
        print(summarise(name, mine, defined=callable(target), stub=_is_stub(target)))
        wrong = [d for d in FUNCTIONS[name].get("calls", []) if d in failing]
        if wrong and name in failing and _written(target, mine):
            which = _listed(wrong)
            its = "fails its" if len(wrong) == 1 else "fail their"
            print(
                f"  {name} calls your {which}, which {its} "
                f'own public checks: fix {which} first, then run check("{name}") again. '
                f"(The grader checks {name} with the model {which}, so it loses no points for "
                "them.)"
            )
