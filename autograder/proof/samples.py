"""The sample class bundled for the demo: realistic submissions, built from the kit's own sources.

Every sample derives from a single source (the generated student and solution notebooks, the
reference, the mistake catalogue) or is one of the few hostile files below, so nothing here
repeats solution code. Each file's stem says what kind of submission it is, and `samples.csv` in
the class folder says which graded functions each sample completes (so what it should earn).

A partial notebook has the code of its earlier assignments that the notebook asks students to
paste in (the playground's network): a student who finished those and some of this one's
functions, graded for the functions done.
"""

from __future__ import annotations

import copy
import csv
from itertools import zip_longest
from pathlib import Path

import nbformat

from autograder.author.master import top_level_defs
from autograder.proof import mutants

HOSTILE = {
    "hostile_patches_numpy": """
import numpy as np
np.allclose = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
def sigmoid(z):
    return np.zeros_like(z)
""",
    "hostile_loops_forever": """
import numpy as np
while True:
    pass
def sigmoid(z):
    while True:
        pass
""",
    "hostile_exits": """
import os, sys
def sigmoid(z):
    os._exit(0)
def forward(*args):
    sys.exit("all tests passed")
""",
    "hostile_reads_hidden_tests": """
import glob
def sigmoid(z):
    found = glob.glob("/**/suite.py", recursive=True) + glob.glob("/work/**/*.py", recursive=True)
    raise RuntimeError("found: " + " ".join(found[:5]))
""",
}
MIN_CLASS = 24
SAMPLES_CSV = "samples.csv"  # what each sample is; the grader ignores it
QUIRKS = [  # notebook content that must not break grading
    "%matplotlib inline\n%load_ext autoreload\n!pip list | head -3",
    "from IPython.display import display\ndisplay('training...')",
    "import time\nfor epoch in range(10**9):\n    time.sleep(1)  # an experiment left running",
    "this cell has a syntax error (",
]


def _function_cells(nb: nbformat.NotebookNode) -> dict[str, int]:
    """Index of the code cell that defines each top-level function."""
    found = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.startswith("def "):
            found[cell.source[4:].split("(", 1)[0].strip()] = i
    return found


def _graded_cells(student: nbformat.NotebookNode) -> dict[str, int]:
    """The function cells the student notebook leaves as stubs: the graded functions."""
    cells = _function_cells(student)
    return {
        f: i for f, i in cells.items() if "raise NotImplementedError(" in student.cells[i].source
    }


def _earlier_work(
    student: nbformat.NotebookNode, solution: nbformat.NotebookNode, graded: list[str]
) -> dict[int, nbformat.NotebookNode]:
    """Solution cells that define only helpers (no graded function): every partial sample has
    them. An earlier assignment's functions are no such cell: the grader supplies them."""
    theirs = {cell.get("id"): cell for cell in solution.cells}
    found = {}
    for i, mine in enumerate(student.cells):
        cell = theirs.get(mine.get("id"))
        if cell is None or cell.cell_type != "code" or cell.source == mine.source:
            continue
        defined = top_level_defs(cell.source)
        if defined and not set(defined) & set(graded):
            found[i] = cell
    return found


def _partly_done(
    student: nbformat.NotebookNode, solution: nbformat.NotebookNode, done: list[str]
) -> nbformat.NotebookNode:
    """The student notebook with the functions in `done` (and earlier work) from the solution."""
    nb = copy.deepcopy(student)
    cells = _graded_cells(student)
    for i, cell in _earlier_work(student, solution, list(cells)).items():
        nb.cells[i] = copy.deepcopy(cell)
    for name in done:
        nb.cells[cells[name]] = copy.deepcopy(solution.cells[cells[name]])
    return nb


def _with_quirks(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = copy.deepcopy(nb)
    nb.cells[1:1] = [nbformat.v4.new_code_cell(q) for q in QUIRKS]
    return nb


def build_sample_class(
    assignment_id: str, generated: Path, out: Path, *, mistakes: int = 12
) -> list[Path]:
    """Write the sample class of one assignment into `out`; `generated` is generate's OUT/<id>."""
    student = nbformat.read(next((generated / "student").glob("*.ipynb")), as_version=4)
    solution = nbformat.read(next((generated / "solution").glob("*.ipynb")), as_version=4)
    functions = list(_graded_cells(student))
    out.mkdir(parents=True, exist_ok=True)
    notebooks = {
        "01_complete": solution,
        "02_complete_with_magics_and_experiments": _with_quirks(solution),
        "03_not_started": student,
        "04_first_half": _partly_done(student, solution, functions[: len(functions) // 2]),
        "05_all_but_last": _partly_done(student, solution, functions[:-1]),
        "06_only_the_last": _partly_done(student, solution, functions[-1:]),
    }
    done = {
        "01_complete": functions,
        "02_complete_with_magics_and_experiments": functions,
        "03_not_started": [],
        "04_first_half": functions[: len(functions) // 2],
        "05_all_but_last": functions[:-1],
        "06_only_the_last": functions[-1:],
    }
    written, expected = [], []
    for stem, nb in notebooks.items():
        nbformat.write(nb, out / f"{stem}.ipynb")
        written.append(out / f"{stem}.ipynb")
        expected.append((written[-1].name, "notebook", done[stem], ""))
    (out / "07_complete_as_python.py").write_text(mutants.standalone_source(assignment_id))
    written.append(out / "07_complete_as_python.py")
    expected.append((written[-1].name, "python file", functions, ""))
    by_function: dict[str, list] = {}
    for m in mutants.catalogue(assignment_id):
        by_function.setdefault(m.function, []).append(m)
    rounds = zip_longest(*by_function.values())  # every function's first mistake, then seconds
    picked = [m for round_ in rounds for m in round_ if m is not None][:mistakes]
    for i, m in enumerate(picked):
        path = out / f"{10 + i:02d}_mistake_{mutants.mutant_name(m)}.py"
        path.write_text(mutants.mutant_source(assignment_id, m))
        written.append(path)
        others = [f for f in functions if f != m.function]
        expected.append((path.name, "catalogued mistake", others, m.function))
    variants = [(f"no_{f}", [g for g in functions if g != f]) for f in functions]
    variants += [(f"only_{f}", [f]) for f in functions]
    for i, (stem, done_here) in enumerate(
        variants[: max(0, MIN_CLASS - len(written) - len(HOSTILE))]
    ):
        path = out / f"{50 + i:02d}_{stem}.ipynb"
        nbformat.write(_partly_done(student, solution, done_here), path)
        written.append(path)
        expected.append((path.name, "notebook", done_here, ""))
    for i, (stem, source) in enumerate(HOSTILE.items()):
        path = out / f"{30 + i:02d}_{stem}.py"
        path.write_text(source.lstrip())
        written.append(path)
        expected.append((path.name, "hostile", [], ""))
    (out / "40_corrupt.ipynb").write_text('{"cells": [')
    (out / "41_empty.py").write_text("")
    expected += [("40_corrupt.ipynb", "corrupt", [], ""), ("41_empty.py", "empty", [], "")]
    _write_expected(out / SAMPLES_CSV, expected)
    return [*written, out / "40_corrupt.ipynb", out / "41_empty.py"]


def _write_expected(path: Path, rows: list[tuple[str, str, list[str], str]]) -> None:
    """samples.csv: each sample's file, kind, the functions it completes, its mistake's function."""
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "kind", "complete", "mistake_in"])
        for name, kind, complete, mistake_in in rows:
            writer.writerow([name, kind, " ".join(complete), mistake_in])
