"""Find solution code, hidden tests or model answers in what students receive.

Every line of the secret text is normalised (comments and spacing removed) and looked for among
the normalised lines of the student's files. Short lines (`else:`, `return w`) say nothing and are
skipped. A secret line that legitimately ships anyway is *shared*: a line of a public test or
helper (`L = len(params) // 2`), of the grader's comparison code (`raise Mismatch(`), of a shipped
data module, or of a visible cell of the master (`rng = np.random.default_rng(seed)`). A shared
line alone is no leak; but when most lines of one secret (say, a whole function body) appear in
one file, that is reported even if each line is shared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.assignments import ROOT, Assignment, get
from autograder.author.checkfile import INLINED, SHIPPED_MODULES
from autograder.author.master import BEGIN_SOLUTION_RE, END_SOLUTION, Master, student_code
from autograder.author.suite_info import public_part, read_suite
from autograder.author.sync import Reference
from autograder.source import has_docstring
from autograder.suite.collect import SuiteItems, collect

MIN_CHARS = 12  # shorter normalised lines are too generic to count as a leak
COMMENT = re.compile(r"\s+#[^\"']*$|^#.*$")


def normalise(line: str) -> str:
    """A line without its trailing comment, with single spaces."""
    line = COMMENT.sub("", line.rstrip())
    return " ".join(line.split())


def _meaningful(line: str) -> bool:
    return len(line.replace(" ", "")) >= MIN_CHARS


def _lines(text: str) -> set[str]:
    return {n for n in map(normalise, text.splitlines()) if _meaningful(n)}


MOST = 0.6  # this share of a secret's lines in one file reveals it, shared lines included
MOST_MIN_LINES = 3


@dataclass
class Secret:
    """One secret line and where it comes from."""

    line: str
    origin: str
    shared: bool = False  # it also ships legitimately (see the module docstring)


def secrets(assignment: Assignment, master: Master) -> list[Secret]:
    """Solution bodies (and private helpers), hidden tests and model answers, line by line."""
    found: list[Secret] = []
    reference = Reference.of(assignment.reference)
    items = collect(assignment.suite)
    suite = read_suite(assignment.suite)
    for fn in items.points():
        if fn not in reference.functions:
            continue
        node = reference.functions[fn]
        body_start = node.body[0].end_lineno if has_docstring(node) else node.body[0].lineno - 1
        body = reference.lines[body_start : node.end_lineno]
        found += [Secret(n, f"the body of {fn}") for n in _lines("\n".join(body))]
        for helper in reference.helpers(fn):
            text = reference.text(reference.functions[helper])
            found += [Secret(n, f"the helper {helper}") for n in _lines(text)]
    for earlier in assignment.builds_on:  # the student loads their own earlier functions
        model = Reference.of(get(earlier).reference)
        for name, node in model.functions.items():
            start = node.body[0].end_lineno if has_docstring(node) else node.body[0].lineno - 1
            body = "\n".join(model.lines[start : node.end_lineno])
            found += [Secret(n, f"{earlier}'s model answer of {name}") for n in _lines(body)]
    for test in sorted(items.tests(public=False)):
        found += [Secret(n, f"the hidden test {test}") for n in _lines(suite.test_source(test))]
    for q in master.manual:
        assert q.code_cell is not None
        answer = _inside_solution_blocks(master.nb.cells[q.code_cell].source)
        found += [Secret(n, f"the model answer of {q.name}") for n in _lines(answer)]
    shared = _shipped_lines(items, master)
    for s in found:
        s.shared = s.line in shared
    return found


def _shipped_lines(items: SuiteItems, master: Master) -> set[str]:
    """Lines that reach students by design."""
    public, hidden = items.tests(public=True), items.tests(public=False)
    part = public_part(read_suite(items.path), public, hidden, ("autograder", "solutions"))
    shipped = _lines(part.source)
    for path, _ in INLINED:  # the grader's own comparison code ships with every notebook
        shipped |= _lines(path.read_text())
    for module in SHIPPED_MODULES:
        shipped |= _lines((ROOT / (module.replace(".", "/") + ".py")).read_text())
    own = {q.code_cell for q in master.questions}
    for i, cell in enumerate(master.nb.cells):
        if cell.cell_type == "code" and i not in own and master.roles[i] == "content":
            shipped |= _lines(student_code(cell.source))
    return shipped


def _inside_solution_blocks(source: str) -> str:
    out, inside = [], False
    for line in source.splitlines():
        if BEGIN_SOLUTION_RE.match(line):
            inside = True
        elif line.rstrip().endswith(END_SOLUTION):
            inside = False
        elif inside:
            out.append(line)
    return "\n".join(out)


def artifact_text(path: Path) -> str:
    """Everything a student can read in a file: for a notebook, every cell and output."""
    if path.suffix != ".ipynb":
        return path.read_text()
    nb = nbformat.read(path, as_version=4)
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(str(output.get("text", "")))
            parts += [str(v) for v in output.get("data", {}).values()]
    return "\n".join(parts)


def find_leaks(secret: list[Secret], files: list[Path]) -> list[str]:
    """'file: line (origin)' for every secret line, or most of one secret, found in a file."""
    leaks = []
    by_origin: dict[str, list[Secret]] = {}
    for s in secret:
        by_origin.setdefault(s.origin, []).append(s)
    for path in files:
        present = _lines(artifact_text(path))
        leaks += [
            f"{path.name}: {s.line!r} ({s.origin})"
            for s in secret
            if s.line in present and not s.shared
        ]
        for origin, lines in by_origin.items():
            found = [s for s in lines if s.line in present]
            if len(lines) >= MOST_MIN_LINES and len(found) >= MOST * len(lines):
                if any(not s.shared for s in found):
                    continue  # reported line by line above
                leaks.append(f"{path.name}: {len(found)} of the {len(lines)} lines of {origin}")
    return leaks
