"""Prove the grader: every catalogued mistake, made into a whole submission, must lose points.

For each assignment, the model answer and one mutant per mistake in `assignments/<id>/mistakes.py`
(see `autograder.proof.mutants`) are graded in one batch. Each mutant must lose points in its own
function's column, the model answer none, and the grader should name most mistakes: the mistake's
own message should reach the student in a failing test of that function.
"""

from __future__ import annotations

import ast
import importlib.util
import textwrap
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np
import pytest

from autograder.config import Limits
from autograder.model import TESTED, Outcome, SubmissionResult
from autograder.proof.mutants import (
    catalogue,
    grade_mutants,
    mutant_name,
    mutant_source,
    write_mutants,
)
from autograder.sandbox.launcher import detect_isolation
from autograder.suite.diagnose import Catalogue, Mistake
from solutions import logistic_regression as reference_lr

IDS = ("logistic_regression", "building_blocks", "neural_network", "playground")
LIMITS = Limits(call_seconds=5, submission_seconds=30)
MIN_NAMING_RATE = 0.8
MIN_MISTAKES_PER_FUNCTION = 3


@dataclass
class Graded:
    """One assignment's batch: the model answer's result and each mutant's."""

    reference: SubmissionResult
    mutants: dict[str, tuple[Mistake, SubmissionResult]]

    @property
    def full(self) -> dict[str, float]:
        return self.reference.by_function()

    def caught(self, stem: str) -> bool:
        m, result = self.mutants[stem]
        return result.by_function().get(m.function, 0.0) < self.full[m.function]

    def failures(self, stem: str) -> list[Outcome]:
        """The failing outcomes of the mistake's own function."""
        m, result = self.mutants[stem]
        return [o for o in result.outcomes if not o.passed and o.function == m.function]

    def named(self, stem: str) -> bool:
        m, _ = self.mutants[stem]
        return any(m.message in o.output for o in self.failures(stem))

    def misnamed(self, stem: str) -> list[str]:
        """Other mistakes of the same function that the grader named instead."""
        m, _ = self.mutants[stem]
        return [
            other.implementation.__name__
            for other, _ in self.mutants.values()
            if other.function == m.function
            and other is not m
            and any(other.message in o.output for o in self.failures(stem))
        ]


@pytest.fixture(scope="module")
def graded(request, tmp_path_factory):
    """Each selected assignment graded once, in one batch; two batches run at a time."""
    needed = {
        item.callspec.params["assignment_id"]
        for item in request.session.items
        if "graded" in getattr(item, "fixturenames", ())
        and "assignment_id" in getattr(getattr(item, "callspec", None), "params", {})
    }
    isolation = detect_isolation()
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        futures = {
            a: pool.submit(
                grade_mutants,
                a,
                tmp_path_factory.mktemp(a),
                limits=LIMITS,
                isolation=isolation,
            )
            for a in IDS
            if a in needed
        }
        batches: dict[str, Graded] = {}

        def grade(assignment_id: str) -> Graded:
            if assignment_id not in batches:
                reference, results = futures[assignment_id].result()
                batches[assignment_id] = Graded(
                    reference,
                    {
                        mutant_name(m): (m, results[mutant_name(m)])
                        for m in catalogue(assignment_id)
                    },
                )
            return batches[assignment_id]

        yield grade


def _cases() -> list:
    return [
        pytest.param(a, mutant_name(m), id=f"{a}-{mutant_name(m)}")
        for a in IDS
        for m in catalogue(a)
    ]


@pytest.mark.parametrize("assignment_id", IDS)
def test_reference_loses_no_points(graded, assignment_id):
    result = graded(assignment_id).reference
    lost = [f"{o.name}: {o.output} {o.debug}" for o in result.outcomes if not o.passed]
    assert result.status == "graded" and not lost, "\n".join(lost)


@pytest.mark.parametrize("assignment_id", IDS)
def test_every_graded_function_has_mistakes(graded, assignment_id):
    counts = {fn: 0 for fn in graded(assignment_id).full}
    for m in catalogue(assignment_id):
        assert m.function in counts, f"{m.implementation.__name__}: no test grades {m.function}"
        counts[m.function] += 1
    few = {fn: n for fn, n in counts.items() if n < MIN_MISTAKES_PER_FUNCTION}
    assert not few, f"functions with fewer than {MIN_MISTAKES_PER_FUNCTION} mistakes: {few}"


@pytest.mark.parametrize("assignment_id, stem", _cases())
def test_mistake_loses_points_in_its_column(graded, assignment_id, stem):
    batch = graded(assignment_id)
    m, result = batch.mutants[stem]
    assert result.status in TESTED, f"{stem}: {result.status} {result.notes}"
    assert batch.caught(stem), (
        f"{stem} kept all {batch.full[m.function]} points of {m.function}: "
        f"no test catches the mistake '{m.message}'"
    )


@pytest.mark.parametrize("assignment_id", IDS)
def test_one_mistake_costs_once(graded, assignment_id, capsys):
    """Each mutant keeps every point outside its own column, and gets no hint there."""
    batch = graded(assignment_id)
    elsewhere, hinted = [], []
    for stem, (m, result) in batch.mutants.items():
        earned = result.by_function()
        elsewhere += [
            f"{stem}: {fn} earned {earned.get(fn, 0.0)} of {full}"
            for fn, full in batch.full.items()
            if fn != m.function and earned.get(fn, 0.0) != full
        ]
        hinted += [
            f"{stem}: {o.name}: {o.diagnosis}"
            for o in result.outcomes
            if o.function != m.function and o.diagnosis
        ]
    lost = sum(
        batch.full[fn] - result.by_function().get(fn, 0.0)
        for m, result in batch.mutants.values()
        for fn in batch.full
        if fn != m.function
    )
    with capsys.disabled():
        print(
            f"\n{assignment_id}: {len(batch.mutants)} mistakes; points lost outside their own "
            f"column: {lost:g}; hints on another function: {len(hinted)}"
        )
    assert not elsewhere, "\n".join(elsewhere)
    assert not hinted, "\n".join(hinted)


@pytest.mark.parametrize("assignment_id", IDS)
def test_no_hint_names_another_mistake(graded, assignment_id):
    """A hint names the planted mistake or nothing: never another one of the same function."""
    batch = graded(assignment_id)
    wrong = {stem: batch.misnamed(stem) for stem in batch.mutants if batch.misnamed(stem)}
    assert not wrong, wrong


@pytest.mark.parametrize("assignment_id", IDS)
def test_no_mistake_breaks_the_grader(graded, assignment_id):
    """A wrong answer fails tests; it never makes a test itself crash (a grader error)."""
    errors = [
        f"{stem}: {o.name}: {o.debug}"
        for stem, (_, result) in graded(assignment_id).mutants.items()
        for o in result.outcomes
        if o.kind == "grader_error"
    ]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("assignment_id", IDS)
def test_naming_rate(graded, assignment_id, capsys):
    batch = graded(assignment_id)
    stems = list(batch.mutants)
    caught = [s for s in stems if batch.caught(s)]
    named = [s for s in stems if batch.named(s)]
    total = max(len(stems), 1)
    with capsys.disabled():
        print(
            f"\n{assignment_id}: {len(stems)} mistakes, caught {len(caught)} "
            f"({len(caught) / total:.0%}), named {len(named)} ({len(named) / total:.0%})"
        )
        for s in stems:
            if s not in named:
                said = [o.output for o in batch.failures(s)] or ["(no failing test)"]
                print(f"  not named: {s}\n    grader said: {said[0].splitlines()[0][:150]}")
            if batch.misnamed(s):
                print(f"  {s} was also named as: {', '.join(batch.misnamed(s))}")
    assert len(named) / total >= MIN_NAMING_RATE


# ------------------------------------------------------------------ the mutants themselves


def _imported_modules(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add((node.module or "").split(".")[0])
    return found


@pytest.mark.parametrize("assignment_id", IDS)
def test_mutants_are_standalone(tmp_path, assignment_id):
    """Each mutant imports neither solutions nor the grader, and defines its graded function."""
    for path, m in write_mutants(assignment_id, tmp_path):
        source = path.read_text()
        assert not _imported_modules(source) & {"solutions", "autograder"}, path.name
        namespace: dict = {}
        exec(compile(source, str(path), "exec"), namespace)
        assert namespace[m.function].__code__.co_name == m.function


def test_mutant_source_brings_what_a_mistake_uses(tmp_path):
    """Helpers, other imports, and solutions imports inside the body or under another name."""
    path = tmp_path / "made_up_mistakes.py"
    path.write_text(
        textwrap.dedent(
            """
            import math

            from autograder.suite.diagnose import mistake
            from solutions.logistic_regression import cost as reference_cost

            _SCALE = 2.0


            def _double(x):
                return _SCALE * x


            @mistake("cost", "doubled")
            def cost_doubled(y_hat, y):
                from solutions.logistic_regression import (
                    forward as fwd,
                )

                assert fwd is forward
                return _double(reference_cost(y_hat, y)) * math.cos(0.0)
            """
        )
    )
    spec = importlib.util.spec_from_file_location("made_up_mistakes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source = mutant_source("logistic_regression", module.cost_doubled.mistake)
    assert "solutions" not in _imported_modules(source)
    namespace: dict = {}
    exec(compile(source, "mutant", "exec"), namespace)
    y_hat, y = np.array([0.9, 0.2]), np.array([1.0, 0.0])
    assert namespace["cost"](y_hat, y) == pytest.approx(2 * reference_lr.cost(y_hat, y))


def _patched_module(tmp_path, body: str):
    path = tmp_path / "patched_mistakes.py"
    path.write_text(
        "from autograder.suite.diagnose import patched\n"
        "from solutions.logistic_regression import gradients\n\n" + textwrap.dedent(body)
    )
    spec = importlib.util.spec_from_file_location("patched_mistakes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_patched_mistake_is_the_reference_with_its_edit(tmp_path):
    """The grader runs the patched reference, and the mutant is that very text."""
    module = _patched_module(
        tmp_path,
        """
        gradients_summed = patched(
            gradients, "float(np.mean(error))", "float(np.sum(error))", message="summed"
        )
        """,
    )
    (m,) = Catalogue.from_module(module).mistakes
    assert (m.function, m.message, m.implementation.__name__) == (
        "gradients",
        "summed",
        "gradients_summed",
    )
    X, y, y_hat = np.eye(2), np.array([1.0, 0.0]), np.array([0.25, 0.5])
    assert m.implementation(X, y, y_hat)[1] == pytest.approx(-0.25)
    assert "float(np.sum(error))" in m.source and "np.mean" not in m.source
    namespace: dict = {}
    exec(compile(mutant_source("logistic_regression", m), "mutant", "exec"), namespace)
    assert namespace["gradients"](X, y, y_hat)[1] == pytest.approx(-0.25)


@pytest.mark.parametrize(
    "old, new, error",
    [
        ("np.sum(error)", "error", "occurs 0 times"),
        ("y_hat - y", "y - y_hat", "occurs 2 times"),
        ("float(np.mean(error))", "float(np.mean(undefined_name))", "uses undefined_name"),
    ],
)
def test_a_patch_that_no_longer_fits_the_reference_fails_loudly(tmp_path, old, new, error):
    module = _patched_module(
        tmp_path, f"gradients_wrong = patched(gradients, {old!r}, {new!r}, message='m')\n"
    )
    with pytest.raises(ValueError, match=f"gradients_wrong .*{error}"):
        Catalogue.from_module(module)


@pytest.mark.parametrize("assignment_id", ["neural_network"])
def test_the_derivative_at_a_instead_of_z_fails_a_public_check(graded, assignment_id):
    """The public checks cover every hidden activation that back-propagation is graded with."""
    _, result = graded(assignment_id).mutants[
        "backward_propagation__backward_propagation_derivative_of_A"
    ]
    public = [o for o in result.outcomes if o.visible and o.function == "backward_propagation"]
    assert any(not o.passed for o in public)


# ------------------------------------------------------------------ hints that were not true

_UNTRUE_HINTS = [
    pytest.param(
        "logistic_regression",
        (
            "return (forward(X, w, b) >= threshold).astype(int)",
            "return (forward(X, w, b) >= threshold) * 1.0",
        ),
        "predict",
        "ignores its threshold",
        id="predict-returns-floats",
    ),
    pytest.param(
        "neural_network",
        ("perm = rng.permutation(n)", "perm = rng.integers(0, n, size=n)"),
        "minibatches",
        "not shuffled",
        id="minibatches-with-replacement",
    ),
    pytest.param(
        "logistic_regression",
        ("return float(-np.mean(y * np.log(p)", "return 1.00028 * float(-np.mean(y * np.log(p)"),
        "cost",
        "times too",
        id="one-wrong-number",
    ),
]


@pytest.mark.parametrize("assignment_id, edit, function, untrue", _UNTRUE_HINTS)
def test_a_hint_the_inputs_cannot_back_is_not_given(
    tmp_path, assignment_id, edit, function, untrue
):
    """The three untrue hints of the fair-grading issue: the function fails, without them."""
    from autograder.assignments import get
    from autograder.grade.engine import grade_file
    from autograder.proof.mutants import standalone_source

    source = standalone_source(assignment_id)
    assert edit[0] in source
    path = tmp_path / "submission.py"
    path.write_text(source.replace(edit[0], edit[1]))
    result = grade_file(
        path, assignment=get(assignment_id), limits=LIMITS, isolation=detect_isolation()
    )
    failed = [o for o in result.outcomes if not o.passed]
    assert failed and {o.function for o in failed} == {function}, [o.name for o in failed]
    said = [f"{o.name}: {o.output} {o.diagnosis or ''}" for o in failed if untrue in o.output]
    assert not said, "\n".join(said)
