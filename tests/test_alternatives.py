"""Right answers written in other styles must earn full marks.

tests/corpus/alternatives/<assignment>/ holds correct implementations that differ from the model
answer in form only: loops instead of vectorisation, np.dot / np.matmul / einsum instead of @,
other stable sigmoids (logaddexp, tanh, piecewise), log-sum-exp softmax, other clipping epsilons
(1e-15, 1e-9, 1e-7), while loops and other loop structures in gradient_descent and train, numpy
scalars instead of floats, a class, a notebook, and ways students write files (comments, lambdas,
computed constants, a byte-order mark).

Each assignment's folder is graded in one batch. An alternative that loses points shows a grader
bug: it is marked xfail(strict=True) in KNOWN with the test and message that cost it the points.
Five of them (lr_question_comments, lr_lambdas, lr_computed_constants, lr_utf8_bom,
lr_line_separator) found such bugs in autograder/sandbox/load.py, fixed in 174a8a3; they stay as
regression tests.
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import pickle
from pathlib import Path

import pytest

from autograder.api import grade
from autograder.config import GradeConfig, Limits
from autograder.sandbox.launcher import detect_isolation

CORPUS = Path(__file__).resolve().parent / "corpus" / "alternatives"
ASSIGNMENTS = ("logistic_regression", "building_blocks", "neural_network")
LIMITS = Limits(call_seconds=5, load_seconds=10, submission_seconds=60, memory_bytes=2**30)

KNOWN: dict[str, str] = {}  # "assignment/file" -> why the grader takes its points


def files(assignment: str) -> list[Path]:
    folder = CORPUS / assignment
    return sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipynb"))


def xfail(reason: str):
    """A known grader weakness: the check fails with an assertion until it is fixed."""
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def cases() -> list:
    ids = [f"{a}/{p.name}" for a in ASSIGNMENTS for p in files(a)]
    return [pytest.param(i, marks=xfail(reason=KNOWN[i])) if i in KNOWN else i for i in ids]


def once_per_run(tmp_path_factory, name: str, compute):
    """compute() once per test run, also under pytest-xdist, whose workers would each run a
    module fixture: the first worker computes under a lock, the others load its result."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not run:
        return compute()
    shared = tmp_path_factory.getbasetemp().parent
    done = shared / f"{name}-{run}.pickle"
    with open(shared / f"{name}-{run}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done.exists():
            return pickle.loads(done.read_bytes())
        value = compute()
        done.write_bytes(pickle.dumps(value))
        return value


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, dict]:
    return once_per_run(tmp_path_factory, "alternatives", lambda: grade_all(tmp_path_factory))


def grade_all(tmp_path_factory) -> dict[str, dict]:
    """Grade each assignment's alternatives in one batch; rows and results.json by file."""
    if not detect_isolation().bwrap:
        pytest.skip("bubblewrap is not available (CI installs it)")
    root = tmp_path_factory.mktemp("alternatives")
    found: dict[str, dict] = {}
    for assignment in ASSIGNMENTS:
        out = root / assignment
        config = GradeConfig(assignment=assignment, out=out, jobs=2, limits=LIMITS, progress=False)
        grade(config=config, paths=[CORPUS / assignment])
        with (out / "gradebook.csv").open() as f:
            rows = {row["student"]: row for row in csv.DictReader(f)}
        for path in files(assignment):
            row = rows[path.stem]
            results = json.loads((out / path.stem / "results.json").read_text())
            found[f"{assignment}/{path.name}"] = {"row": row, "results": results}
    lost = {k: v["row"]["score"] + "/" + v["row"]["max_score"] for k, v in found.items()}
    full = sum(v["row"]["score"] == v["row"]["max_score"] for v in found.values())
    print(f"\nalternatives: {full} of {len(found)} earn full marks; scores {lost}")
    return found


@pytest.mark.parametrize("key", cases())
def test_a_right_alternative_earns_full_marks(graded, key):
    row, results = graded[key]["row"], graded[key]["results"]
    failed = [f"{t['name']}: {t['output']}" for t in results["tests"] if t["status"] == "failed"]
    assert row["status"] == "graded", f"{key}: {row['status']}: {results['output']}"
    assert float(row["score"]) == float(row["max_score"]), "\n".join(failed)


@pytest.mark.parametrize("key", cases())
def test_a_right_alternative_gets_no_hint(graded, key):
    """A hint names a mistake only when the submission makes it: never on a correct answer."""
    tests = graded[key]["results"]["tests"]
    hinted = [f"{t['name']}: {t['output']}" for t in tests if "Hint:" in t["output"]]
    assert not hinted, "\n".join(hinted)
