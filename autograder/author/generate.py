"""`python -m autograder generate`: what students get, what graders keep, from one master notebook.

For each assignment with a master, DIR/<id>/ receives:

- `student/`: the student notebook `<id>.ipynb` (solutions replaced by stubs that raise
  NotImplementedError, free-text answers by a placeholder, outputs cleared, no hidden test),
  `nnkit_check.py` (the public checks), and the data modules the notebook imports
  (`playground_data.py`), and the data sets in `solutions/data/` whose file name a code cell
  names (`digits.npz`), and `requirements.txt` (the packages they import: numpy, matplotlib,
  pytest for `check()`), and `nnkit_earlier.py` for a notebook that loads the student's earlier
  notebook (with `provide_model`, the earlier model answers `<id>_model.py`, which it prefers).
  Hand out this folder as it is.
- `solution/`: `<id>_solution.ipynb` (the master without its markup, solutions kept), with the
  same `nnkit_check.py` and data, and the earlier model answers it loads, so it runs.
- `grading/`: the bundle the engine needs: `suite.py`, the reference modules under `solutions/`,
  `mistakes.py` when there is one, and `manifest.json` (assignment id, points per function).

The solution cells are taken from `solutions/<id>.py` at generation time (as `sync` would write
them), so a master that is out of sync cannot hand out stale code.
"""

from __future__ import annotations

import ast
import copy
import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from autograder.assignments import ROOT, Assignment, get
from autograder.author import checkfile
from autograder.author.leaks import find_leaks, secrets
from autograder.author.master import ANSWER_PREFIX, Master, load_master, solution_code, student_code
from autograder.author.sync import expected_cells, master_path
from autograder.suite.collect import SuiteItems, collect

CHECK_FILE = "nnkit_check.py"
EARLIER_LOADER = "nnkit_earlier"  # load_earlier: a student's own earlier notebook, or the model
DATA_DIR = ROOT / "solutions" / "data"  # kit data sets (solutions/data/README.md: sources)
REQUIREMENTS = "requirements.txt"
# What a student installs for a module the notebook or its shipped files import (the kit's own
# minimum versions, pyproject.toml); other imports are the standard library or shipped files.
STUDENT_PACKAGES = {"numpy": "numpy>=1.24", "matplotlib": "matplotlib>=3.7", "pytest": "pytest>=8"}
MANIFEST = "manifest.json"
# The otter settings every master needs, so that `otter assign` leaves no solution behind and adds
# no cell that needs otter's own client: (key, value).
OTTER_CONFIG = (
    ("init_cell", False),
    ("check_all_cell", False),
    ("export_cell", False),
    ("run_tests", False),
    ("generate", False),
    ("strip_solutions_from_all_cells", True),
)


class GenerateError(ValueError):
    """The master, the suite and the reference do not fit together; the message says how."""


# ---------------------------------------------------------------- consistency


def problems(master: Master, items: SuiteItems) -> list[str]:
    """Everything that stops this master from being generated, in plain words."""
    found = []
    for key, value in OTTER_CONFIG:
        if master.config.get(key) != value:
            found.append(f"the ASSIGNMENT CONFIG cell needs `{key}: {str(value).lower()}`")
    graded = list(items.points())
    questions = [q.name for q in master.graded]
    for name in graded:
        if name not in questions:
            found.append(f"the suite grades {name} but the master has no question for it")
    for name in questions:
        if name not in graded:
            found.append(f"question {name} is not graded by any test in the suite")
    for q in master.graded:
        if q.name.startswith("q_"):
            found.append(f"question {q.name}: q_ names are for free-text questions (manual: true)")
        if q.config.get("check_cell") is not False:
            found.append(f"question {q.name} needs `check_cell: false` (otter's own check cell)")
        calls = [master.nb.cells[i].source.strip() for i in q.tests]
        wanted = {f'check("{q.name}")', f"check('{q.name}')"}
        if not wanted & set(calls):
            found.append(f'question {q.name} needs a TESTS block holding check("{q.name}")')
    for q in master.manual:
        if not q.name.startswith("q_"):
            found.append(f"free-text question {q.name}: its name must start with q_")
        if q.tests:
            found.append(f"free-text question {q.name} cannot have tests")
    return found


def check_consistency(master: Master, items: SuiteItems) -> None:
    found = problems(master, items)
    if found:
        raise GenerateError(f"{master.path.name} of {master.path.parent.name}: " + "; ".join(found))


# ---------------------------------------------------------------- notebooks


def _sources(assignment: Assignment, master: Master) -> list[str]:
    """Every cell's source, with the solution cells as the reference has them now."""
    synced = expected_cells(assignment, master)
    return [synced.get(i, cell.source) for i, cell in enumerate(master.nb.cells)]


def _notebook(master: Master, sources: list[str], *, solution: bool, assignment: str):
    nb = copy.deepcopy(master.nb)
    cells = []
    for i, cell in enumerate(master.nb.cells):
        role = master.roles[i]
        if role in ("config", "boundary"):
            continue
        if role == "solution-block" and cell.cell_type != "code" and not solution:
            continue  # a written-out answer in a SOLUTION block: the student writes their own
        new = copy.deepcopy(cell)
        new.metadata.pop("otter", None)
        if cell.cell_type == "code":
            new.source = solution_code(sources[i]) if solution else student_code(sources[i])
            new.outputs, new.execution_count = [], None
        cells.append(new)
    nb.cells = cells
    nb.metadata.pop("otter", None)
    nb.metadata["nnkit"] = {"assignment": assignment, "kind": "solution" if solution else "student"}
    nbformat.validate(nb)
    return nb


def student_notebook(assignment: Assignment, master: Master) -> nbformat.NotebookNode:
    return _notebook(master, _sources(assignment, master), solution=False, assignment=assignment.id)


def solution_notebook(assignment: Assignment, master: Master) -> nbformat.NotebookNode:
    return _notebook(master, _sources(assignment, master), solution=True, assignment=assignment.id)


# ---------------------------------------------------------------- files that ship


def _imported_modules(sources: list[str]) -> set[str]:
    found = set()
    for source in sources:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
    return found


def requirements(master: Master, check_text: str, shipped: list[Path]) -> str:
    """requirements.txt for the student folder: the packages its notebook and files import."""
    sources = [c.source for c in master.nb.cells if c.cell_type == "code"] + [check_text]
    sources += [p.read_text() for p in shipped if p.suffix == ".py"]
    roots = {module.split(".")[0] for module in _imported_modules(sources)}
    return "".join(f"{spec}\n" for module, spec in STUDENT_PACKAGES.items() if module in roots)


def shipped_data(master: Master, check_text: str) -> dict[str, Path]:
    """Kit modules the student folder needs, by the name they ship under."""
    sources = [c.source for c in master.nb.cells if c.cell_type == "code"] + [check_text]
    imported = _imported_modules(sources)
    files = {}
    for module, shipped in checkfile.SHIPPED_MODULES.items():
        if shipped in imported:
            files[f"{shipped}.py"] = ROOT / (module.replace(".", "/") + ".py")
    if EARLIER_LOADER in imported:
        files[f"{EARLIER_LOADER}.py"] = ROOT / "autograder" / "author" / f"{EARLIER_LOADER}.py"
    for path in sorted(DATA_DIR.glob("*.npz")):  # data sets a notebook loads by file name
        if any(path.name in source for source in sources):
            files[path.name] = path
    return files


def model_modules(
    assignment: Assignment, provided: tuple[str, ...] | None = None
) -> dict[str, str]:
    """The earlier assignments' model answers as modules load_earlier prefers, by file name:
    `building_blocks_model.py`, its imports of each other renamed to match. With `provided`,
    only those and the ones they import."""
    chosen = assignment.builds_on if provided is None else _with_imports(provided)
    files = {}
    for earlier in (a for a in assignment.builds_on if a in chosen):
        source = (ROOT / "solutions" / f"{earlier}.py").read_text()
        for other in assignment.builds_on:
            source = source.replace(f"from solutions.{other} import", f"from {other}_model import")
        files[f"{earlier}_model.py"] = source
    return files


def _with_imports(provided: tuple[str, ...]) -> set[str]:
    """The provided assignments and those their model answers import."""
    return {a for p in provided for a in (p, *get(p).builds_on)}


def _solution_modules(paths: list[Path]) -> list[Path]:
    """The `solutions/` modules these files import, directly or through each other."""
    found: list[Path] = []
    todo = list(paths)
    while todo:
        source = todo.pop().read_text()
        for module in _imported_modules([source]):
            if module.startswith("solutions."):
                path = ROOT / (module.replace(".", "/") + ".py")
                if path.exists() and path not in found:
                    found.append(path)
                    todo.append(path)
    return sorted(found)


def write_bundle(assignment: Assignment, master: Master, items: SuiteItems, folder: Path) -> Path:
    """The grading bundle: suite, reference modules, mistakes, manifest."""
    folder.mkdir(parents=True)
    shutil.copy(assignment.suite, folder / "suite.py")
    mistakes = assignment.folder / "mistakes.py"
    sources = [assignment.suite, Path(assignment.reference.__file__ or "")]
    if mistakes.exists():
        shutil.copy(mistakes, folder / "mistakes.py")
        sources.append(mistakes)
    modules = sorted({Path(assignment.reference.__file__ or ""), *_solution_modules(sources)})
    (folder / "solutions").mkdir()
    (folder / "solutions" / "__init__.py").write_text("")
    for path in modules:
        shutil.copy(path, folder / "solutions" / path.name)
    points = items.points()
    manifest = {
        "assignment": assignment.id,
        "points": points,
        "max_score": sum(points.values()),
        "tests": items.counts(),
        "manual_questions": [q.name for q in master.manual],
        "answer_variables": {q.name: ANSWER_PREFIX + q.name for q in master.manual},
        "suite": "suite.py",
        "reference": f"solutions/{Path(assignment.reference.__file__ or '').name}",
        "solution_modules": [f"solutions/{p.name}" for p in modules],
        "mistakes": "mistakes.py" if mistakes.exists() else None,
        "student_notebook": f"{assignment.id}.ipynb",
    }
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=2) + "\n")
    return path


# ---------------------------------------------------------------- generate


def generate_assignment(
    assignment: Assignment,
    out: Path,
    check_text: str | None = None,
    provide_model: tuple[str, ...] = (),
) -> list[Path]:
    """Write DIR/<id>/{student,solution,grading}; returns the files written."""
    master = load_master(master_path(assignment))
    items = collect(assignment.suite)
    check_consistency(master, items)
    if check_text is None:
        check_text = checkfile.build(assignment)
    root = out / assignment.id
    for part in ("student", "solution", "grading"):
        shutil.rmtree(root / part, ignore_errors=True)
    written, provided = [], set()
    data = shipped_data(master, check_text)
    needs = requirements(master, check_text, list(data.values()))
    for kind, nb, name in (
        ("student", student_notebook(assignment, master), f"{assignment.id}.ipynb"),
        ("solution", solution_notebook(assignment, master), f"{assignment.id}_solution.ipynb"),
    ):
        folder = root / kind
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / name)
        (folder / CHECK_FILE).write_text(check_text)
        (folder / REQUIREMENTS).write_text(needs)
        written += [folder / name, folder / CHECK_FILE, folder / REQUIREMENTS]
        for shipped, source in data.items():
            shutil.copy(source, folder / shipped)
            written.append(folder / shipped)
        if f"{EARLIER_LOADER}.py" in data:  # the solution runs on the models; students on theirs
            models = model_modules(assignment, None if kind == "solution" else provide_model)
            for name, text in models.items():
                (folder / name).write_text(text)
                written.append(folder / name)
                provided.add(folder / name)
    student_files = [
        p
        for p in written
        if p.parent == root / "student" and p.suffix != ".npz" and p not in provided
    ]
    leaks = find_leaks(secrets(assignment, master), student_files)
    if leaks:
        shutil.rmtree(root / "student")
        raise GenerateError(
            f"{assignment.id}: the student files would reveal " + "; ".join(leaks[:5])
        )
    written.append(write_bundle(assignment, master, items, root / "grading"))
    return written


def _prepare(assignment: Assignment) -> str | None:
    """Everything that can be checked quickly; returns the reason it cannot be generated."""
    try:
        master = load_master(master_path(assignment))
        check_consistency(master, collect(assignment.suite))
        expected_cells(assignment, master)
    except ValueError as e:
        return str(e)
    return None


def _build(assignment: Assignment) -> str | Exception:
    try:
        return checkfile.build(assignment)
    except (checkfile.CheckFileError, ValueError) as e:
        return e


def generate(ids: list[str], out: Path, provide_model: tuple[str, ...] = ()) -> list[Path]:
    """Generate every assignment in `ids`; each needs its master notebook.

    An assignment that fails does not stop the others; the failures are raised together at the end.
    """
    chosen = [get(assignment_id) for assignment_id in ids]
    for earlier in provide_model:
        get(earlier)  # an unknown id gets its clear error before anything is written
    missing = [a.id for a in chosen if not master_path(a).exists()]
    if missing:
        raise FileNotFoundError(
            f"no master notebook for {', '.join(missing)} (assignments/<id>/master.ipynb)"
        )
    failed = {a.id: reason for a in chosen if (reason := _prepare(a))}
    ready = [a for a in chosen if a.id not in failed]
    with ThreadPoolExecutor(max_workers=max(1, min(4, len(ready)))) as pool:
        texts = list(pool.map(_build, ready))  # each records in its own process
    written: list[Path] = []
    for assignment, text in zip(ready, texts, strict=True):
        if isinstance(text, Exception):
            failed[assignment.id] = str(text)
            continue
        try:
            written += generate_assignment(assignment, out, text, provide_model)
        except ValueError as e:
            failed[assignment.id] = str(e)
    if failed:
        ok = [a.id for a in ready if a.id not in failed]
        note = f" ({', '.join(ok)} written to {out})" if ok else ""
        reasons = "; ".join(f"{k}: {v}" for k, v in failed.items())
        raise GenerateError(f"could not generate {', '.join(failed)}{note}: {reasons}")
    return written
