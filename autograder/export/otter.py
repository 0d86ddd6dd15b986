"""An otter-grader autograder for an assignment, generated from its suite, for instructors on otter.

`build_otter_autograder("logistic_regression", OUT)` writes OUT/<id>_otter_autograder.zip with
`otter generate`. The suite stays the single source of truth; nothing in the zip is written by hand:

- `tests/<function>.py`: one OK-format test per graded function, with one case per test item of
  the suite (a parametrized test gives one case per parameter), worth that item's points in our
  engine (the test's points shared among its cases) and hidden unless the test is
  `@pytest.mark.public`. So partial credit is the same as ours.
- `files/nnkit_otter/`: the support module every case calls (`grader.py`). It is
  `nnkit_check.py` built with `checkfile.build(..., include_hidden=True)`: the grader's
  comparisons, the notebook runtime (`autograder/author/runtime.py`), and every test of the
  suite, hidden ones included, seeded as the grader seeds them. The reference is NOT shipped: its
  results for every test are recorded when the zip is built, as `nnkit_check.py` records them for
  the public tests, and a build fails unless replaying them gives the reference full marks. The
  first case that runs in a notebook runs the whole suite once, in the notebook's kernel, on the
  notebook's globals; the verdicts are cached and each case reports its own item (`otter_case`).
- `files/nnkit_check/` (and `playground_data/`, `nnkit_earlier/` where the notebook imports them):
  the student notebook imports them, so otter runs it as the student did; `<earlier>_model/` holds
  the earlier model answers that a notebook's `load_earlier` then loads, as our engine grades.

Support modules ship as packages (a folder with `__init__.py`), because otter copies support files
next to the submission and refuses a .py submission when another .py file sits there.

This zip is for instructors: it holds the hidden tests and the expected values of every test. And
otter runs the submission in the same process as the tests, without a sandbox: see the README,
"What otter cannot protect against".

Limitation of recording: a hidden test that calls the reference on the student's own results (the
playground's `run_experiment` checks do) can be replayed only when those results equal the
reference's (up to 1e-9, relative); otherwise that case fails with "The grader could not check
this". logistic_regression, building_blocks and neural_network only call the reference on inputs
the tests build themselves.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
import os
import pprint
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from autograder.assignments import Assignment, get
from autograder.author import checkfile
from autograder.author.runtime import FUNCTIONS, run_checks
from autograder.fresh import FreshRunError, run_fresh
from autograder.model import Outcome
from autograder.source import segment
from autograder.suite.collect import SuiteItems, collect
from autograder.suite.plugin import GRADER_ERROR

SUPPORT_MODULE = "nnkit_otter"
SUPPORT_FILE = "nnkit_otter/grader.py"  # the package's __init__ re-exports otter_case
CHECK_MODULE = "nnkit_check"
OTTER = Path(sys.executable).parent / "otter"


class OtterExportError(RuntimeError):
    """The otter autograder cannot be built; the message says why."""


# ---------------------------------------------------------------- inside the notebook's kernel
# These definitions are copied into nnkit_otter/grader.py, after the notebook runtime they use.

_OTTER_VERDICTS: dict[tuple, dict[str, dict]] = {}


def _otter_same_module() -> None:
    """Make pytest collect the tests from this very module, not from a second copy of it.

    Otter puts `__init__.py` files in the submission folder and its parent, so pytest names this
    file `autograder.submission.nnkit_otter.grader` and would import it again under that name: its
    tests would then raise another module's Problem and pass another module's SeededRng, which
    this module's runtime does not recognise. An alias under pytest's name avoids the second copy.
    """
    here = os.path.abspath(__file__)
    parts, folder = [os.path.splitext(os.path.basename(here))[0]], os.path.dirname(here)
    while os.path.isfile(os.path.join(folder, "__init__.py")):
        parts.insert(0, os.path.basename(folder))
        folder = os.path.dirname(folder)
    sys.modules.setdefault(".".join(parts), sys.modules[__name__])


def otter_case(namespace: dict, test: str) -> None:
    """One OK case: nothing when suite item `test` passed, else AssertionError with our message.

    The first call in a notebook runs every test of the suite on the functions in `namespace` (the
    notebook's globals, as otter's doctest sees them) and caches the verdicts. doctest gives each
    case its own copy of the globals, so the cache is keyed by the graded functions themselves.
    """
    key = tuple(id(namespace.get(fn)) for fn in FUNCTIONS)
    verdicts = _OTTER_VERDICTS.get(key)
    if verdicts is None:
        _otter_same_module()
        try:
            verdicts = {o.test: o for o in run_checks(None, namespace=namespace)}
        except Exception as e:  # the suite could not run at all: every case fails, once
            broken = Outcome("", "", 0.0, 0.0, False, f"{GRADER_ERROR} ({e})", False)
            verdicts = {"": broken}
        _OTTER_VERDICTS[key] = verdicts
    outcome = verdicts.get(test) or verdicts.get("")
    if outcome is None:
        raise AssertionError(f"This test did not run. {GRADER_ERROR}")
    if not outcome.passed:
        raise AssertionError(outcome.output + (f"\n({outcome.debug})" if outcome.debug else ""))


def _support_section() -> str:
    """The definitions above, as source for nnkit_otter/grader.py."""
    source = Path(__file__).read_text()
    tree = ast.parse(source)
    lines = source.splitlines()
    keep = []
    for node in tree.body:
        names = {getattr(node, "name", None)}
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = {t.id for t in targets if isinstance(t, ast.Name)}
        if names & {"_OTTER_VERDICTS", "_otter_same_module", "otter_case"}:
            keep.append(segment(lines, node))
    rule = f"# {'-' * 64} otter: one case per test item (autograder/export/otter.py)"
    return f"\n\n{rule}\n\n" + "\n\n\n".join(keep) + "\n"


# ---------------------------------------------------------------- the cases


@dataclass(frozen=True)
class OtterCase:
    """One test item of the suite, as an OK case."""

    test: str  # the item as the suite names it: test_sigmoid_random[shape0]
    name: str  # as our results.json names it: "sigmoid: sigmoid on random inputs ... [shape0]"
    function: str
    points: float
    hidden: bool

    @property
    def code(self) -> str:
        return f">>> __import__({SUPPORT_MODULE!r}).otter_case(globals(), {self.test!r})\n"


def _package(name: str, module: str, text: str, exports: str) -> dict[str, str]:
    """Files of a one-module package: name/module.py holds `text`, name/__init__.py re-exports.

    Otter copies the zip's support files into the submission folder, and refuses a .py
    submission when that folder holds another .py file: packages keep them out of its way.
    """
    init = f'"""Generated by nnkit: see {module}.py."""\n\nfrom {name}.{module} import {exports}\n'
    return {f"{name}/__init__.py": init, f"{name}/{module}.py": text}


def _items(folder: Path, assignment: Assignment) -> list[str]:
    """The test items the support module in `folder` runs, with the reference as the student.

    In a fresh process: the module's pytest session must not meet the caller's.
    """
    try:
        said = run_fresh(
            "autograder.export.otter", "--items", str(folder), assignment.id, timeout=600
        )
    except FreshRunError as e:
        raise OtterExportError(str(e)) from None
    return json.loads(said.strip().splitlines()[-1])


def cases(items: SuiteItems, ran: list[str]) -> list[OtterCase]:
    """The OK cases, one per collected item with its points; `ran`: the items otter's layout ran."""
    if sorted(ran) != sorted(i.test for i in items.items):
        missing = sorted({i.test for i in items.items} ^ set(ran))
        raise OtterExportError(f"otter's layout ran other items than the suite's: {missing[:5]}")
    return [OtterCase(i.test, i.name, i.function, i.points, not i.public) for i in items.items]


def ok_test(function: str, function_cases: list[OtterCase]) -> str:
    """The OK-format test file of one graded function."""
    spec = {
        "name": function,
        "points": None,  # each case carries its own points
        "suites": [
            {
                "cases": [
                    {
                        "code": c.code,
                        "hidden": c.hidden,
                        "locked": False,
                        "name": c.name,
                        "points": c.points,
                    }
                    for c in function_cases
                ],
                "scored": True,
                "setup": "",
                "teardown": "",
                "type": "doctest",
            }
        ],
    }
    header = f'"""{function}: generated by nnkit from the suite (autograder/export/otter.py)."""'
    body = pprint.pformat(spec, indent=1, width=100, sort_dicts=False)
    return f"{header}\n\nOK_FORMAT = True\n\ntest = {body}\n"


# ---------------------------------------------------------------- the zip


def _requirements() -> str:
    import numpy
    import pytest

    return f"numpy=={numpy.__version__}\npytest=={pytest.__version__}\n"


def _data_files(assignment: Assignment, texts: list[str]) -> dict[str, Path]:
    """Kit data modules the notebook or the tests import (playground_data.py), by shipped name."""
    from autograder.author.generate import shipped_data  # generate imports this module
    from autograder.author.master import load_master
    from autograder.author.sync import master_path

    return shipped_data(load_master(master_path(assignment)), "\n".join(texts))


def _earlier_models(assignment: Assignment) -> dict[str, str]:
    """The earlier model answers a notebook's `load_earlier` calls get when otter runs it (our
    engine grades on them too)."""
    from autograder.author.generate import model_modules  # generate imports this module

    return model_modules(assignment)


def build_otter_autograder(assignment_id: str, out: Path, *, check_text: str | None = None) -> Path:
    """Write OUT/<id>_otter_autograder.zip with `otter generate`; returns its path.

    `check_text`: the assignment's nnkit_check.py, when the caller has built it already
    (`generate` has); otherwise it is built here. Raises OtterExportError when the zip cannot be
    built (otter missing, a suite whose hidden tests cannot be recorded, otter generate failing).
    """
    assignment = get(assignment_id)
    otter = OTTER if OTTER.exists() else shutil.which("otter")
    if not otter:
        raise OtterExportError("otter-grader is not installed here (no `otter` command).")
    items = collect(assignment.suite)
    try:
        support = checkfile.build(assignment, include_hidden=True) + _support_section()
        if check_text is None:
            check_text = checkfile.build(assignment)
    except checkfile.CheckFileError as e:
        raise OtterExportError(str(e)) from e
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    zip_path = (out / f"{assignment.id}_otter_autograder.zip").resolve()
    with tempfile.TemporaryDirectory(prefix="nnkit-otter-") as tmp:
        work = Path(tmp)
        files = {
            **_package(SUPPORT_MODULE, "grader", support, "otter_case"),
            **_package(CHECK_MODULE, "checks", check_text, "check"),
        }
        data = _data_files(assignment, [support, check_text])
        for name, path in data.items():
            if path.suffix == ".py":  # playground_data: the whole module is the package
                files[f"{Path(name).stem}/__init__.py"] = path.read_text()
        for name, text in _earlier_models(assignment).items():  # what load_earlier loads
            files[f"{Path(name).stem}/__init__.py"] = text
        for name, text in files.items():
            (work / name).parent.mkdir(exist_ok=True)
            (work / name).write_text(text)
        blobs = [name for name, path in data.items() if path.suffix != ".py"]
        for name in blobs:  # a data set the notebook loads by name (digits.npz)
            shutil.copy(data[name], work / name)
        all_cases = cases(items, _items(work, assignment))
        (work / "tests").mkdir()
        for fn in items.points():
            mine = [c for c in all_cases if c.function == fn]
            (work / "tests" / f"{fn}.py").write_text(ok_test(fn, mine))
        (work / "requirements.txt").write_text(_requirements())
        (work / "otter_config.json").write_text(json.dumps({"lang": "python"}, indent=2) + "\n")
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        command = [str(otter), "generate", "-t", "tests", "-o", str(zip_path)]
        command += ["-r", "requirements.txt", "-c", "otter_config.json", "--no-environment"]
        shipped = {Path(f).parts[0] for f in files} | set(blobs)
        command += ["--python-version", version, *sorted(shipped)]
        done = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not zip_path.exists():
            lines = (done.stderr or done.stdout).strip().splitlines()
            raise OtterExportError(
                "otter generate failed: " + (lines[-1] if lines else f"exit {done.returncode}")
            )
    return zip_path


def _list_items(folder: str, assignment_id: str) -> int:
    """`python -m autograder.export.otter --items FOLDER ID`: what `_items` runs.

    The support packages are laid out as otter lays them out (in a `submission` package inside
    another package), and the suite runs through `otter_case`, as the OK cases run it.
    """
    assignment = get(assignment_id)
    root = Path(tempfile.mkdtemp(prefix="nnkit-otter-items-"))
    submission = root / "otter_ag" / "submission"
    for package in Path(folder).iterdir():
        if package.is_dir() and (package / "__init__.py").exists():
            shutil.copytree(package, submission / package.name)
    for package in (submission.parent, submission):
        (package / "__init__.py").write_text("")
    sys.path.insert(0, str(submission))
    try:
        module = importlib.import_module(f"{SUPPORT_MODULE}.grader")
        with contextlib.suppress(AssertionError):
            module.otter_case(dict(vars(assignment.reference)), "")
        [verdicts] = module._OTTER_VERDICTS.values()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    outcomes = list(verdicts.values())
    failed = [o for o in outcomes if not o.passed]
    if failed:
        details = "; ".join(f"{o.name}: {o.output} {o.debug}" for o in failed)
        print(f"error: the reference fails in {SUPPORT_FILE}: {details}", file=sys.stderr)
        return 1
    print(json.dumps([o.test for o in outcomes]))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--items":
        sys.exit(_list_items(sys.argv[2], sys.argv[3]))
    print("usage: python -m autograder.export.otter --items FOLDER ASSIGNMENT", file=sys.stderr)
    sys.exit(2)
