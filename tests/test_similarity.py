"""Similar code: planted copies are found, independent right answers are not flagged."""

import ast
import builtins
import csv
import importlib.util
import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder import assignments
from autograder.api import grade
from autograder.config import GradeConfig, Limits
from autograder.course import similarity
from autograder.course.similarity import find_similar, graded_code
from autograder.suite.collect import collect

needs_copydetect = pytest.mark.skipif(
    importlib.util.find_spec("copydetect") is None, reason="copydetect is not installed"
)

CORPUS = Path(__file__).resolve().parent / "corpus" / "alternatives"
# These four are one body of code saved four ways (a byte-order mark, U+2028 line separators,
# comments, a notebook): copies of each other by construction. lr_notebook stands for them.
SAME_CODE = {"lr_utf8_bom.py", "lr_line_separator.py", "lr_question_comments.py"}


def independent(assignment: str) -> list[Path]:
    folder = CORPUS / assignment
    return sorted(
        p for p in folder.iterdir() if p.suffix in (".py", ".ipynb") and p.name not in SAME_CODE
    )


class _Rename(ast.NodeTransformer):
    """Every name that is not a graded function, a module or a builtin gets a new name."""

    def __init__(self, keep: set[str]) -> None:
        self.keep = keep

    def _new(self, name: str) -> str:
        return name if name in self.keep or hasattr(builtins, name) else f"my_{name}_v2"

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self._new(node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self._new(node.arg)
        return node


def planted_copy(source: Path, assignment: str) -> str:
    """A disguised copy: variables renamed, functions in reverse order, comments dropped."""
    tree = ast.parse(graded_code(source))
    keep = set(collect(assignments.get(assignment).suite).points()) | {"np", "numpy", "math"}
    keep |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    tree = _Rename(keep).visit(tree)
    head = [s for s in tree.body if isinstance(s, ast.Import | ast.ImportFrom)]
    rest = [s for s in tree.body if s not in head]
    return ast.unparse(ast.Module(body=head + rest[::-1], type_ignores=[]))


@needs_copydetect
@pytest.mark.parametrize("assignment", ["logistic_regression", "building_blocks", "neural_network"])
def test_planted_copies_are_found_and_independent_answers_are_not(tmp_path, assignment):
    files = {p.stem: p for p in independent(assignment)}
    originals = sorted(files)
    for name in originals:
        copy = tmp_path / f"copy_of_{name}.py"
        copy.write_text(planted_copy(files[name], assignment))
        files[copy.stem] = copy
    found = find_similar(files, assignment=assignment)
    flagged = {(p.a, p.b) for p in found.pairs}
    assert flagged == {tuple(sorted((n, f"copy_of_{n}"))) for n in originals}, found.pairs
    assert found.compared == len(files)


@needs_copydetect
def test_one_body_of_code_saved_in_other_ways_is_flagged():
    files = {p.stem: p for p in (CORPUS / "logistic_regression").iterdir()
             if p.name in SAME_CODE}  # fmt: skip
    found = find_similar(files, assignment="logistic_regression")
    assert len(found.pairs) == 3


@needs_copydetect
def test_copies_of_one_file_are_each_paired_as_a_single_comparison_finds(tmp_path):
    """Identical files are fingerprinted and compared once; every pair of them is still flagged,
    with the shares a comparison of two separate files gives."""
    files = {p.stem: p for p in independent("logistic_regression")[:2]}
    first = next(iter(files.values()))
    for name in ("c1", "c2", "c3"):
        shutil.copy(first, tmp_path / f"{name}.py")
        files[name] = tmp_path / f"{name}.py"
    found = find_similar(files, assignment="logistic_regression")
    copies = sorted([first.stem, "c1", "c2", "c3"])
    assert {(p.a, p.b) for p in found.pairs} == set(itertools.combinations(copies, 2))
    alone = find_similar({n: files[n] for n in ("c1", "c2")}, assignment="logistic_regression")
    assert {(p.share_a, p.share_b, p.shared_tokens) for p in found.pairs} == {
        (p.share_a, p.share_b, p.shared_tokens) for p in alone.pairs
    }
    assert found.compared == len(files)


@needs_copydetect
def test_pairs_compared_on_several_processes_are_those_of_one(tmp_path, monkeypatch):
    files = {p.stem: p for p in independent("logistic_regression")}
    for name in sorted(files)[:4]:
        (tmp_path / f"copy_of_{name}.py").write_text(
            planted_copy(files[name], "logistic_regression")
        )
        files[f"copy_of_{name}"] = tmp_path / f"copy_of_{name}.py"
    alone = find_similar(files, assignment="logistic_regression", jobs=1)
    monkeypatch.setattr(similarity, "PAIRS_PER_PROCESS", 1)
    spread = find_similar(files, assignment="logistic_regression", jobs=3)
    assert len(alone.pairs) >= 4 and spread.pairs == alone.pairs


@needs_copydetect
def test_untouched_student_notebooks_are_never_similar(tmp_path):
    from autograder.author.generate import generate

    written = generate(["logistic_regression"], tmp_path / "gen")
    student = next(p for p in written if p.suffix == ".ipynb" and "student" in p.parts)
    for name in ("a", "b"):
        shutil.copy(student, tmp_path / f"{name}.ipynb")
    found = find_similar(
        {n: tmp_path / f"{n}.ipynb" for n in ("a", "b")}, assignment="logistic_regression"
    )
    assert found.pairs == [] and found.compared == 0  # nothing of their own to compare


@pytest.fixture
def copied_class(tmp_path) -> Path:
    folder = tmp_path / "class"
    folder.mkdir()
    for p in independent("logistic_regression")[:4]:
        shutil.copy(p, folder / p.name)
    source = folder / "lr_loops.py"
    shutil.copy(CORPUS / "logistic_regression" / "lr_loops.py", source)
    (folder / "zed.py").write_text(planted_copy(source, "logistic_regression"))
    return folder


@pytest.mark.slow
@needs_copydetect
def test_grading_writes_similarity_csv_and_a_report_section(copied_class, tmp_path):
    config = GradeConfig(assignment="logistic_regression", out=tmp_path / "out", jobs=2,
                         progress=False, limits=Limits(call_seconds=5))  # fmt: skip
    grade(config=config, paths=[copied_class])
    with (config.out / "similarity.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["student_a"], r["student_b"]) for r in rows] == [("lr_loops", "zed")]
    assert rows[0]["source_b"].endswith("zed.py")
    report = (config.out / "report.html").read_text()
    assert "Similar code" in report and "not a verdict" in report


@pytest.mark.slow
def test_without_copydetect_grading_works_and_says_similarity_was_skipped(
    copied_class, tmp_path, monkeypatch
):
    monkeypatch.setitem(sys.modules, "copydetect", None)  # import copydetect raises ImportError
    config = GradeConfig(assignment="logistic_regression", out=tmp_path / "out", jobs=1,
                         progress=False, limits=Limits(call_seconds=5))  # fmt: skip
    graded = grade(config=config, paths=[copied_class])
    assert all(r.status == "graded" for r in graded.results)
    assert any("similarity skipped: copydetect is not installed" in n for n in graded.notes)
    assert "similarity check was skipped" in (config.out / "report.html").read_text()
    assert not (config.out / "similarity.csv").exists()


@needs_copydetect
def test_shares_do_not_depend_on_the_process_hash_seed():
    """copydetect hashes k-grams with Python's salted hash(); the shares must not change."""
    script = (
        "from pathlib import Path; from autograder.course.similarity import find_similar\n"
        f"folder = Path({str(CORPUS / 'logistic_regression')!r})\n"
        "files = {p.stem: p for p in sorted(folder.iterdir())}\n"
        "print([(p.a, p.b, p.share_a, p.share_b) for p in "
        "find_similar(files, assignment='logistic_regression').pairs])\n"
    )
    said = [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert said[0] == said[1] and said[0].strip() != "[]"
