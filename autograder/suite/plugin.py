"""The pytest plugin behind every suite, shared by the grader and the notebook's `check()`.

A suite is a plain pytest module. Each test item carries one `@pytest.mark.grades("function",
points=N)` (on the test, or on a `pytest.param`) and, if students may see its inputs and
result, `@pytest.mark.public`. The items of one test that grade the same function share its
points. This module holds those rules, the fixtures, the seeds and the wording of verdicts once:
the grader binds a sandboxed student to it, the notebook (which gets this file inlined into
`nnkit_check.py`) binds the notebook's own functions and picks the tests to run.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

from autograder.model import Outcome
from autograder.suite.compare import check_array, check_parts, check_scalar, check_unmutated
from autograder.wire import SeededRng, encode

__all__ = ["ItemFacts", "SeededRng", "SuitePlugin", "cache_key", "item_facts",
           "without_plugins"]  # fmt: skip

MARKERS = (
    "grades(function, points): the graded function this test checks and the points it is worth",
    "public: students see this test's inputs and messages before the deadline",
)
UNUSED_PLUGINS = ("cacheprovider", "xdist", "randomly", "unraisableexception",
                  "threadexception", "faulthandler", "junitxml", "doctest", "pastebin",
                  "legacypath", "logging")  # fmt: skip
GRADER_ERROR = "The grader could not check this; please tell your instructor."
# Numbers a student's exception message could copy from hidden inputs: decimals, and runs of
# four or more integers (array contents); shapes such as (13, 4) stay readable.
HIDDEN_NUMBERS = re.compile(
    r"[-+]?\d*\.\d+(?:[eE][-+]?\d+)?|\d+[eE][-+]?\d+|(?:[-+]?\d+[\s,]+){3,}[-+]?\d+"
)


@dataclass(frozen=True)
class ItemFacts:
    """What the suite says about one test item: the one source for every tool that needs it."""

    test: str  # the item as the suite names it: test_sigmoid_random[shape0]
    name: str  # as results.json names it: "sigmoid: sigmoid on random inputs [shape0]"
    function: str
    points: float  # this item's share of its test's points for that function
    public: bool


def cache_key(*parts: object) -> str | None:
    """A digest of plain-data values, alike in grader and notebook; None for other values."""
    try:
        text = json.dumps(encode(list(parts)), sort_keys=True, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    return None if '{"u":' in text else hashlib.sha256(text.encode()).hexdigest()


def without_plugins() -> list[str]:
    """pytest arguments that switch off the plugins a suite run does not need (start-up time)."""
    return [arg for name in UNUSED_PLUGINS for arg in ("-p", f"no:{name}")]


def _test_id(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[1]


def item_facts(items: list[pytest.Item]) -> list[ItemFacts]:
    """Check each item's markers and share each test's points; raises pytest.UsageError."""
    if not items:
        raise pytest.UsageError("The suite has no tests: nothing would be graded.")
    marked = []
    for item in items:
        marks = list(item.iter_markers("grades"))
        if len(marks) != 1 or len(marks[0].args) != 1 or "points" not in marks[0].kwargs:
            raise pytest.UsageError(
                f"{item.nodeid} needs exactly one @pytest.mark.grades('function', points=N)."
            )
        function, points = str(marks[0].args[0]), float(marks[0].kwargs["points"])
        if points <= 0:
            raise pytest.UsageError(f"{item.nodeid}: points must be positive.")
        marked.append((item, function, points))
    siblings: dict[tuple, int] = {}
    for item, function, _ in marked:
        group = (getattr(item, "originalname", item.name), function)
        siblings[group] = siblings.get(group, 0) + 1
    facts = []
    for item, function, points in marked:
        share = points / siblings[(getattr(item, "originalname", item.name), function)]
        public = item.get_closest_marker("public") is not None
        name = f"{function}: {_title(item)}"
        facts.append(ItemFacts(_test_id(item), name, function, share, public))
    return facts


def _title(item: pytest.Item) -> str:
    """The docstring's first line; a parametrized test's docstring names its parameters in
    braces (`{fn} on random inputs of shape {shape}`), or their ids are appended."""
    title = (item.function.__doc__ or item.name).strip().splitlines()[0].rstrip(".")
    if not hasattr(item, "callspec"):
        return title
    if "{" in title:
        try:
            return title.format_map(item.callspec.params)
        except (KeyError, IndexError, ValueError):
            pass
    return f"{title} [{item.callspec.id}]"


class SuitePlugin:
    """Fixtures, markers, seeds and verdicts for one run of a suite.

    `functions` and `public_only` choose the items that run (the notebook runs a function's
    public tests); `student` is set by whoever runs the suite, before the tests run.
    """

    def __init__(
        self,
        reference: object,
        mistakes: object,
        *,
        functions: set[str] | None = None,
        public_only: bool = False,
        reveal_hidden: bool = False,
    ) -> None:
        self._reference, self._mistakes = reference, mistakes
        self.functions, self.public_only = functions, public_only
        self.reveal_hidden = reveal_hidden
        self.student: object = None
        self.facts: dict[str, ItemFacts] = {}
        self.outcomes: list[Outcome] = []
        self.plots: dict[str, dict] = {}

    def begin(self, student: object) -> None:
        """Run the next submission's tests on `student`, with a fresh list of outcomes."""
        self.student, self.outcomes, self.plots = student, [], {}

    def pytest_configure(self, config: pytest.Config) -> None:
        for line in MARKERS:
            config.addinivalue_line("markers", line)

    @pytest.fixture(name="student")
    def student_fixture(self) -> object:
        return self.student

    @pytest.fixture(scope="session")
    def reference(self) -> object:
        return self._reference

    @pytest.fixture(scope="session")
    def mistakes(self) -> object:
        return self._mistakes

    @pytest.fixture
    def plot(self, request: pytest.FixtureRequest):
        """Attach curves to this test's outcome: `plot(title, x, expected, got)`; public only."""

        def attach(title: str, x: object, expected: object, got: object) -> None:
            if request.node.get_closest_marker("public") is None:
                raise pytest.UsageError("plot() reveals values: use it in public tests only.")
            try:
                curves = [np.asarray(v, dtype=float).ravel() for v in (x, expected, got)]
            except (TypeError, ValueError):  # the student's value is not numeric: no plot
                return
            if len({c.size for c in curves}) == 1 and curves[0].size <= 500:
                names = ("x", "expected", "got")
                self.plots[_test_id(request.node)] = {
                    "title": title,
                    **{k: c.tolist() for k, c in zip(names, curves, strict=True)},
                }

        return attach

    @pytest.fixture
    def expect(self, student: object, reference: object, mistakes: object):
        """`expect(fn, *args, what=..., **kwargs)`: the one check most tests make.

        Calls the student's `fn` (with a time limit of `seconds`, if given), compares its value
        with the model answer's (`scalar=True` for a number, `integer=True` for labels,
        `parts=[...]` for a tuple or dict: see check_parts; `tolerance={"rtol": ..., "atol": ...}`),
        names the catalogued mistake it reproduces (part by part; `otherwise` when none), checks
        the inputs were left alone; returns the reply. `reveal=True` shows the values.
        """

        def check(fn: str, *args: object, what: str, reveal: bool = False, scalar: bool = False,
                  integer: bool = False, parts: list | None = None, exact: bool = False,
                  tolerance: dict | None = None, otherwise: str = "", seconds: float | None = None,
                  **kwargs: object) -> object:  # fmt: skip
            reply = student.call(fn, *args, seconds=seconds, **kwargs)
            expected = getattr(reference, fn)(*args, **kwargs)
            shown = {"what": what, "reveal": reveal, **(tolerance or {})}

            def diagnose(part: int | str | None = None) -> Callable:
                named = mistakes(fn, *args, part=part, **kwargs)
                return lambda got: named(got) or otherwise

            if parts is not None:
                check_parts(reply.value, expected, parts, exact=exact, diagnose=diagnose, **shown)
            elif scalar:
                check_scalar(reply.value, expected, diagnose=diagnose(), **shown)
            else:
                check_array(reply.value, expected, integer=integer, diagnose=diagnose(), **shown)
            check_unmutated(reply.mutated, what=fn)
            return reply

        return check

    @pytest.fixture
    def rng(self, request: pytest.FixtureRequest) -> np.random.Generator:
        """Random inputs, seeded by the test's name: the same for every student and every run."""
        return np.random.default_rng(zlib.crc32(_test_id(request.node).encode()))

    def pytest_collection_modifyitems(self, config: pytest.Config, items: list) -> None:
        self.facts = {f.test: f for f in item_facts(items)}
        keep, drop = [], []
        for item in items:
            facts = self.facts[_test_id(item)]
            chosen = self.functions is None or facts.function in self.functions
            (keep if chosen and (facts.public or not self.public_only) else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = keep

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = (yield).get_result()
        if call.when == "call" or (call.when == "setup" and report.failed):
            facts = self.facts[_test_id(item)]
            plot = self.plots.get(facts.test)
            self.outcomes.append(verdict(facts, call.excinfo, plot, reveal=self.reveal_hidden))


def verdict(
    facts: ItemFacts, excinfo: pytest.ExceptionInfo | None, plot: dict | None, *, reveal: bool
) -> Outcome:
    """The outcome of one item, worded for the student.

    A hidden test says what failed and the mistake it reproduces, but no input, expected value
    or error size, and nothing of the submission's own exception message (it could smuggle the
    inputs out); `reveal` (the instructor's choice, after the deadline) shows everything.
    """
    outcome = Outcome(
        facts.name, facts.function, facts.points, facts.points, True, "", facts.public,
        plot=plot, test=facts.test,
    )  # fmt: skip
    if excinfo is None:
        return outcome
    outcome.score, outcome.passed = 0.0, False
    error = excinfo.value
    kind = getattr(error, "kind", None)
    hide = not facts.public and not reveal
    if isinstance(error, AssertionError) and isinstance(kind, str):  # a Problem
        outcome.kind, outcome.diagnosis = kind, getattr(error, "diagnosis", "")
        brief = str(getattr(error, "brief", "")) or "The result is wrong."
        if brief == getattr(error, "message", None):  # written by a test: numbers may be values
            brief = HIDDEN_NUMBERS.sub("…", brief)
        named = f"\nHint: {outcome.diagnosis}" if outcome.diagnosis else ""
        outcome.output, outcome.detail = (brief + named, str(error)) if hide else (str(error), "")
    elif isinstance(error, AssertionError):
        text = str(error).split("\nassert ")[0]
        outcome.kind = "wrong"
        if hide:
            scrubbed = "A check failed." if text.startswith("assert ") else text
            outcome.output, outcome.detail = HIDDEN_NUMBERS.sub("…", scrubbed), text
        else:
            outcome.output = text
    else:
        outcome.output, outcome.kind = GRADER_ERROR, "grader_error"
        outcome.debug = excinfo.exconly()[:2000]
    return outcome
