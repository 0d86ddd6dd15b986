"""A suite's test items, as pytest collects them: the one source of a test's facts.

Everything that needs to know which tests exist, what they grade, their points and who may see
them (the notebook's check file, the manifest, the leak check, the otter export, the rows of a
submission that could not be graded) reads them from here.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.suite.plugin import ItemFacts, SuitePlugin, without_plugins


class SuiteError(ValueError):
    """The suite cannot be collected; the message says why."""


@dataclass(frozen=True)
class SuiteItems:
    """The collected items of one suite, in suite order."""

    path: Path
    items: tuple[ItemFacts, ...]

    def points(self) -> dict[str, float]:
        """Points per graded function, in suite order."""
        points: dict[str, float] = {}
        for item in self.items:
            points[item.function] = points.get(item.function, 0.0) + item.points
        return {fn: round(p, 9) for fn, p in points.items()}

    def public(self, function: str | None = None) -> list[ItemFacts]:
        return [i for i in self.items if i.public and function in (None, i.function)]

    def hidden(self, function: str | None = None) -> list[ItemFacts]:
        return [i for i in self.items if not i.public and function in (None, i.function)]

    def tests(self, *, public: bool) -> set[str]:
        """The test functions whose items are public (or hidden); a test is one or the other."""
        return {_origin(i.test) for i in self.items if i.public == public}

    def counts(self) -> dict[str, dict[str, int]]:
        """Public and hidden items per graded function, in suite order."""
        return {
            fn: {"public": len(self.public(fn)), "hidden": len(self.hidden(fn))}
            for fn in self.points()
        }


def _origin(test: str) -> str:
    return test.split("[", 1)[0]


_CACHE: dict[tuple, SuiteItems] = {}


def _forget_other_suite(suite: Path) -> None:
    """pytest's importlib mode reuses a module of the same name, even from another file."""
    name = f"{suite.parent.name}.{suite.stem}"  # its name under --rootdir suite.parent.parent
    cached = sys.modules.get(name)
    if cached is not None and Path(getattr(cached, "__file__", "") or "").resolve() != suite:
        del sys.modules[name]


def collect(suite: Path) -> SuiteItems:
    """Collect `suite` with pytest (nothing runs); raises SuiteError with pytest's reason."""
    suite = Path(suite).resolve()
    stat = suite.stat()
    key = (suite, stat.st_mtime_ns, stat.st_size)
    if key in _CACHE:
        return _CACHE[key]
    _forget_other_suite(suite)
    plugin = SuitePlugin(None, None)
    args = [str(suite), "--collect-only", "-q", "--import-mode=importlib", "--strict-markers"]
    args += ["--rootdir", str(suite.parent.parent), "-c", os.devnull, *without_plugins()]
    said = io.StringIO()
    with contextlib.redirect_stdout(said), contextlib.redirect_stderr(said):
        code = pytest.main(args, plugins=[plugin])
    if code != pytest.ExitCode.OK or not plugin.facts:
        lines = [line for line in said.getvalue().splitlines() if line.strip()]
        reason = next((line for line in lines if "Error" in line), lines[-1] if lines else "")
        raise SuiteError(f"{suite.name} could not be collected: {reason}")
    mixed = {_origin(t) for t, f in plugin.facts.items() if f.public} & {
        _origin(t) for t, f in plugin.facts.items() if not f.public
    }
    if mixed:
        raise SuiteError(
            f"{suite.name}: {', '.join(sorted(mixed))} mixes public and hidden items: "
            "split it into a public test and a hidden one."
        )
    _CACHE[key] = SuiteItems(suite, tuple(plugin.facts.values()))
    return _CACHE[key]
