"""Files are what they say, ids are unique and stable, and a submission's text cannot break a
record, a report or a spreadsheet."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys

import pytest

from autograder.api import grade
from autograder.assignments import ROOT
from autograder.batch.intake import gather, student_id
from autograder.config import GradeConfig
from autograder.model import Outcome, SubmissionResult
from autograder.problems import NotGradable
from autograder.report.feedback import UNDRAWABLE, feedback_html
from autograder.report.results import gradebook_csv
from autograder.sandbox.load import file_digest, load_submission
from autograder.text import MAX_NOTES, clean, clean_result, safe_cell

CORRECT = ROOT / "tests" / "corpus" / "alternatives" / "logistic_regression" / "lr_loops.py"
SOLUTION = ROOT / "solutions" / "logistic_regression.py"
MASTER = ROOT / "assignments" / "logistic_regression" / "master.ipynb"


def test_a_changed_name_never_takes_a_clean_one():
    assert student_id("a_b") == "a_b"
    renamed = student_id("a b")
    assert renamed != "a_b" and renamed.startswith("a_b~") and renamed == student_id("a b")
    assert student_id("a b") != student_id("a+b ") != student_id("a\tb")
    assert "~" in student_id("gradebook.csv") and "~" in student_id("=cmd")
    assert not student_id("-x").startswith("-") and not student_id("@x").startswith("@")
    assert len(student_id("x" * 250)) < 120


def test_links_and_undecodable_names_are_refused_unread(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "link.py").symlink_to(SOLUTION)
    (folder / "nb.ipynb").symlink_to(MASTER)
    bad = os.fsencode(folder) + b"/bad\xff.py"
    shutil.copy(CORRECT, os.fsdecode(bad))
    found = gather([folder, folder / "link.py"], unpack_to=tmp_path / "x")
    problems = {s.file.name: s.problem for s in found.submissions}
    assert "symbolic link" in problems["link.py"] and "symbolic link" in problems["nb.ipynb"]
    assert "not valid UTF-8" in problems[os.fsdecode(b"bad\xff.py")]
    assert all(clean(s.source) == s.source for s in found.submissions)


@pytest.mark.slow
def test_a_class_with_links_odd_names_and_hostile_text_loses_nothing(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "link.py").symlink_to(SOLUTION)
    (folder / "nb.ipynb").symlink_to(MASTER)
    shutil.copy(CORRECT, os.fsdecode(os.fsencode(folder) + b"/bad\xff.py"))
    for name in ("a b.py", "a_b.py", "=cmd.py"):
        shutil.copy(CORRECT, folder / name)
    (folder / "text.py").write_text(
        CORRECT.read_text()
        + 'ANSWER_q_cost = "\\udcff lone"\nANSWER_q_boundary = "=HYPERLINK(1)"\n'
    )
    config = GradeConfig(assignment="logistic_regression", out=tmp_path / "out", jobs=2)
    graded = grade(config=config, paths=[folder])
    by_id = {r.student: r for r in graded.results}
    assert len(by_id) == 7 and by_id["a_b"].score == 22
    assert {by_id[s].status for s in ("link", "nb")} == {"unreadable"}
    assert any("a_b~" in n for n in graded.notes)
    secret = "The model predicts 1 exactly when"  # a line of the master's model answer
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(errors="replace"), path
    rows = list(csv.reader((tmp_path / "out" / "gradebook.csv").open()))
    answers = (tmp_path / "out" / "answers_q_boundary.csv").read_text()
    assert "'=HYPERLINK" in answers
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row[:1])


def test_csv_cells_never_start_a_formula():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("-2") == "'-2" and safe_cell("ok") == "ok"
    row = SubmissionResult("@x", "logistic_regression", [], status="=bad")
    [_, line] = list(csv.reader(io.StringIO(gradebook_csv([row], []))))
    assert line[0] == "'@x" and line[4] == "'=bad"


def _outcome(**changes) -> Outcome:
    base = Outcome("sigmoid: a", "sigmoid", 1.0, 0.0, False, "wrong", True, "mismatch")
    for k, v in changes.items():
        setattr(base, k, v)
    return base


def test_text_is_cleaned_once_and_notes_are_capped():
    result = SubmissionResult(
        "s", "logistic_regression", [_outcome(output="\udcff" + "x" * 10**6)], notes=["n"] * 10**5
    )
    cleaned = clean_result(result)
    assert len(cleaned.notes) == MAX_NOTES + 1 and len(cleaned.outcomes[0].output) < 30_000
    cleaned.outcomes[0].output.encode("utf-8")
    assert clean(10**5000).startswith("<a int")


@pytest.mark.parametrize(
    "got, drawn",
    [
        ([1, 1.7e308, -1.7e308], False),
        (["a", "b", "c"], False),
        ([1, float("inf"), float("nan")], True),
    ],
)
def test_a_plot_of_any_values_gives_a_page_that_says_what_is_wrong(got, drawn):
    plot = {"title": "cost", "x": [0, 1, 2], "expected": [1, 0.5, 0.2], "got": got}
    page = feedback_html(SubmissionResult("s", "logistic_regression", [_outcome(plot=plot)]))
    assert (UNDRAWABLE not in page) == drawn and ("<img" in page) == drawn


def test_answers_of_a_huge_expression_are_read_in_bounded_memory(tmp_path):
    """ast.parse takes some 250 MB per MB of such a file; the answer reader builds no tree."""
    path = tmp_path / "huge.py"
    path.write_text("x = " + "+".join(["1"] * 500_000) + '\nANSWER_q_cost = "mine"\n')
    probe = (
        "import resource, sys; from autograder.report.answers import read_answers; "
        "print(read_answers(sys.argv[1]), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(path)], capture_output=True, text=True, check=True
    )
    answers, peak_kb = done.stdout.rsplit(" ", 1)
    # alone about 60 MiB; a loaded full run has measured 290 MiB; with ast.parse it took 642 MiB
    assert answers == "{'q_cost': 'mine'}" and int(peak_kb) < 450 * 1024


def test_the_trusted_loader_never_reads_through_a_symbolic_link(tmp_path):
    link = tmp_path / "alice.py"
    link.symlink_to(ROOT / "solutions" / "logistic_regression.py")
    for read in (load_submission, file_digest):
        with pytest.raises(NotGradable, match="symbolic link"):
            read(link)
