"""Read a master notebook written in Otter Assign's v1 markup, and rewrite its code cells.

The markup (assignments/FORMAT.md has the full description):

- a raw cell `# ASSIGNMENT CONFIG` with `key: value` lines;
- raw cells `# BEGIN QUESTION` (with `name: ...`, and `manual: true` for free text) and
  `# END QUESTION` around each exercise; raw `# BEGIN TESTS` / `# END TESTS` around its check cell;
- inside code cells, `# BEGIN SOLUTION` / `# END SOLUTION` comment lines around solution code
  (`# BEGIN SOLUTION NO PROMPT` leaves nothing behind), `# SOLUTION` at the end of a single
  line, and `# IGNORE` / `# BEGIN IGNORE` / `# END IGNORE` for lines only the master runs.

Student code replaces a solution block inside a function by a `raise NotImplementedError(...)`
naming the function, inside an `ANSWER_...` string by a placeholder sentence, elsewhere by `...`.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

CONFIG_RE = re.compile(r"#\s+assignment\s+config\b", re.IGNORECASE)
BOUNDARY_RE = re.compile(r"#\s+(begin|end)\s+(question|tests|solution|prompt)\b", re.IGNORECASE)
BEGIN_SOLUTION_RE = re.compile(r"^(\s*)# BEGIN SOLUTION( NO PROMPT)?\s*$")
END_SOLUTION = "# END SOLUTION"
SOLUTION_SUFFIX = "# SOLUTION"
SOLUTION_NO_PROMPT_SUFFIX = "# SOLUTION NO PROMPT"
IGNORE_SUFFIX = "# IGNORE"
BEGIN_IGNORE_RE = re.compile(r"^\s*#\s*BEGIN\s*IGNORE\s*$", re.IGNORECASE)
END_IGNORE = "# END IGNORE"
DEF_RE = re.compile(r"^(\s*)(?:async\s+)?def\s+(\w+)\s*\(")
ASSIGN_RE = re.compile(r"^(\s*[\w.]+(?:\s*,\s*[\w.]+)*\s*=).*$")
SYNC_RE = re.compile(r"^#\s*SYNC(\s+SOLUTION)?:\s*(.+?)\s*$")
ANSWER_PREFIX = "ANSWER_"
ANSWER_PLACEHOLDER = "Replace this line with your answer, in your own words."


class FormatError(ValueError):
    """The master notebook does not follow the markup; says which cell and why."""

    def __init__(self, path: Path | str, cell: int | None, message: str) -> None:
        where = f"{Path(path).name}, cell {cell + 1}" if cell is not None else Path(path).name
        super().__init__(f"{where}: {message}")


# ---------------------------------------------------------------- the config cells


def _scalar(text: str) -> object:
    text = text.strip()
    if not text:
        return None
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    lowered = text.lower()
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    if lowered in ("null", "none", "~"):
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def parse_config(text: str) -> dict:
    """The `key: value` lines after a marker line, as a dict (one level of nesting, lists).

    This is the small part of YAML that the markup needs, so the kit does not depend on PyYAML.
    """
    result: dict = {}
    parent: str | None = None
    for raw in text.splitlines()[1:]:
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indented = raw[0] in " \t"
        line = raw.strip()
        if indented and parent is not None:
            if line.startswith("- "):
                if not isinstance(result[parent], list):
                    result[parent] = []
                result[parent].append(_scalar(line[2:]))
            elif ":" in line:
                if not isinstance(result[parent], dict):
                    result[parent] = {}
                key, _, value = line.partition(":")
                result[parent][key.strip()] = _scalar(value)
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ValueError(f"expected `key: value`, got {line!r}")
        key = key.strip()
        result[key] = _scalar(value)
        parent = key if result[key] is None else None
    return result


# ---------------------------------------------------------------- the notebook's structure


@dataclass
class Question:
    """One `# BEGIN QUESTION` ... `# END QUESTION` block."""

    name: str
    manual: bool
    config: dict
    begin: int
    end: int = -1
    cells: list[int] = field(default_factory=list)  # its cells, boundaries excluded
    tests: list[int] = field(default_factory=list)  # code cells inside its TESTS block
    code_cell: int | None = None  # the function cell, or the ANSWER_ cell of a manual question


@dataclass
class Master:
    """A parsed master notebook."""

    path: Path
    nb: nbformat.NotebookNode
    config: dict
    questions: list[Question]
    roles: list[str]  # per cell: "config", "boundary", "test", "solution-block" or "content"

    @property
    def graded(self) -> list[Question]:
        return [q for q in self.questions if not q.manual]

    @property
    def manual(self) -> list[Question]:
        return [q for q in self.questions if q.manual]

    def question(self, name: str) -> Question:
        for q in self.questions:
            if q.name == name:
                return q
        raise KeyError(name)


def _first_line(cell: nbformat.NotebookNode) -> str:
    lines = cell.source.strip().splitlines()
    return lines[0] if lines else ""


def boundary(cell: nbformat.NotebookNode) -> tuple[str, str] | None:
    """('begin' | 'end', 'question' | 'tests' | 'solution' | 'prompt') for a raw boundary cell."""
    if cell.cell_type != "raw":
        return None
    m = BOUNDARY_RE.match(_first_line(cell))
    return (m.group(1).lower(), m.group(2).lower()) if m else None


def is_config_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "raw" and bool(CONFIG_RE.match(_first_line(cell)))


def top_level_defs(source: str) -> list[str]:
    """Names of the functions a cell defines at top level (empty when it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def answer_names(source: str) -> list[str]:
    """Names of the `ANSWER_...` variables a cell assigns at top level."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names += [
                t.id
                for t in node.targets
                if isinstance(t, ast.Name) and t.id.startswith(ANSWER_PREFIX)
            ]
    return names


def load_master(path: Path) -> Master:
    """Parse a master notebook; raises FormatError with the cell number for bad markup."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    config: dict = {}
    questions: list[Question] = []
    roles: list[str] = []
    question: Question | None = None
    block: str | None = None  # "tests", "solution" or "prompt" inside the current question

    for i, cell in enumerate(nb.cells):
        if is_config_cell(cell):
            if question is not None:
                raise FormatError(path, i, "the ASSIGNMENT CONFIG cell is inside a question.")
            try:
                config.update(parse_config(cell.source))
            except ValueError as e:
                raise FormatError(path, i, f"bad ASSIGNMENT CONFIG: {e}") from None
            roles.append("config")
            continue
        edge = boundary(cell)
        if edge is not None:
            roles.append("boundary")
            kind, what = edge
            if what == "question":
                if kind == "begin":
                    if question is not None:
                        raise FormatError(path, i, "BEGIN QUESTION inside another question.")
                    try:
                        qconfig = parse_config(cell.source)
                    except ValueError as e:
                        raise FormatError(path, i, f"bad question config: {e}") from None
                    name = qconfig.get("name")
                    if not isinstance(name, str) or not name.isidentifier():
                        raise FormatError(path, i, "BEGIN QUESTION needs `name: <identifier>`.")
                    if any(q.name == name for q in questions):
                        raise FormatError(path, i, f"a second question named {name!r}.")
                    question = Question(name, bool(qconfig.get("manual", False)), qconfig, i)
                else:
                    if question is None:
                        raise FormatError(path, i, "END QUESTION without BEGIN QUESTION.")
                    if block is not None:
                        raise FormatError(path, i, f"END QUESTION inside a {block} block.")
                    question.end = i
                    questions.append(question)
                    question = None
                continue
            if question is None:
                raise FormatError(path, i, f"{kind.upper()} {what.upper()} outside a question.")
            if kind == "begin":
                if block is not None:
                    raise FormatError(path, i, f"BEGIN {what.upper()} inside a {block} block.")
                block = what
            else:
                if block != what:
                    raise FormatError(path, i, f"END {what.upper()} without BEGIN {what.upper()}.")
                block = None
            continue
        if block == "tests":
            if cell.cell_type != "code":
                raise FormatError(path, i, "a TESTS block holds code cells only.")
            if _first_line(cell).lstrip().startswith("#") and "hidden" in _first_line(cell).lower():
                raise FormatError(
                    path, i, "hidden tests belong in the suite (suite.py), not in the notebook."
                )
            assert question is not None
            question.tests.append(i)
            roles.append("test")
            continue
        roles.append("solution-block" if block == "solution" else "content")
        if question is not None:
            question.cells.append(i)
    if question is not None:
        raise FormatError(path, question.begin, f"question {question.name!r} has no END QUESTION.")

    master = Master(path, nb, config, questions, roles)
    for q in questions:
        _find_code_cell(master, q)
    return master


def _find_code_cell(master: Master, q: Question) -> None:
    code = [i for i in q.cells if master.nb.cells[i].cell_type == "code"]
    if q.manual:
        wanted = ANSWER_PREFIX + q.name
        found = [i for i in code if wanted in answer_names(master.nb.cells[i].source)]
        if len(found) != 1:
            raise FormatError(
                master.path,
                q.begin,
                f"manual question {q.name!r} needs exactly one code cell that assigns "
                f'{wanted} = """...""" (found {len(found)}).',
            )
    else:
        found = [i for i in code if q.name in top_level_defs(master.nb.cells[i].source)]
        if len(found) != 1:
            raise FormatError(
                master.path,
                q.begin,
                f"question {q.name!r} needs exactly one code cell that defines "
                f"`def {q.name}(...)` (found {len(found)}).",
            )
    q.code_cell = found[0]


# ---------------------------------------------------------------- rewriting code


def remove_ignored(lines: list[str]) -> list[str]:
    """Drop `# IGNORE` lines, `# BEGIN IGNORE` ... `# END IGNORE` blocks and `# SYNC:` lines."""
    out, inside = [], False
    for line in lines:
        stripped = line.rstrip()
        if SYNC_RE.match(line):
            continue
        if inside:
            inside = not stripped.endswith(END_IGNORE)
            continue
        if BEGIN_IGNORE_RE.match(line):
            inside = True
            continue
        if stripped.endswith(IGNORE_SUFFIX):
            continue
        out.append(line)
    return out


def _enclosing_functions(source: str) -> dict[int, str]:
    """0-based line number -> the innermost function whose body holds that line."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    found: dict[int, tuple[int, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            start = node.body[0].lineno - 1
            # comment lines between the signature and the first statement are in the body too
            start = min(start, node.lineno)
            for line in range(start, node.end_lineno or start):
                if line not in found or found[line][0] < node.col_offset:
                    found[line] = (node.col_offset, node.name)
    return {line: name for line, (_, name) in found.items()}


def stub_line(function: str, indent: str) -> str:
    """The line that stands for a function's body in the student notebook."""
    return (
        f'{indent}raise NotImplementedError("{function} is not implemented yet: replace this '
        f"line with your code, run the cell, then run check('{function}').\")"
    )


def stub_hints(block: list[str], indent: str) -> list[str]:
    """Comment lines that precede a stub: the solution's length, and the shape of each
    intermediate the solution names with a trailing shape comment (`dZ = ...  # (n, h)`)."""
    code = [line for line in block if line.strip() and not line.strip().startswith("#")]
    shapes = []
    for line in block:
        statement, _, comment = line.partition("  # ")
        target = ASSIGN_RE.match(statement)
        if target and comment.startswith("("):
            name = target.group(1).rstrip("=").strip()
            shapes.append(f"{indent}#   {name}: {comment.split('->')[-1].strip()}")
    if not code:
        return []
    head = f"{indent}# About {len(code)} line{'s' * (len(code) > 1)}."
    return [head + (" Shapes of the intermediates:" if shapes else ""), *shapes]


def _string_lines(source: str) -> set[int]:
    """0-based numbers of the lines that lie inside a multi-line string literal."""
    inside: set[int] = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return inside
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            end = getattr(node, "end_lineno", node.lineno) or node.lineno
            inside.update(range(node.lineno, end - 1))  # lines strictly after the opening one
    return inside


def student_code(source: str) -> str:
    """The master's code with every solution replaced, as the student notebook shows it."""
    lines = remove_ignored(source.split("\n"))
    in_string = _string_lines("\n".join(lines))
    functions = _enclosing_functions("\n".join(lines))
    out: list[str] = []
    inside = False
    for i, line in enumerate(lines):
        stripped = line.rstrip()
        if inside:
            if stripped.endswith(END_SOLUTION):
                inside = False
            continue
        m = BEGIN_SOLUTION_RE.match(line)
        if m:
            inside = True
            if m.group(2):  # NO PROMPT: nothing left behind
                continue
            indent = m.group(1)
            function = functions.get(i) if indent else None
            if i in in_string:
                out.append(ANSWER_PLACEHOLDER)
            elif function is not None:
                block = []
                for later in lines[i + 1 :]:
                    if later.rstrip().endswith(END_SOLUTION):
                        break
                    block.append(later)
                out += [*stub_hints(block, indent), stub_line(function, indent)]
            else:
                out.append(indent + "...")
            continue
        if stripped.endswith(SOLUTION_NO_PROMPT_SUFFIX):
            continue
        if stripped.endswith(SOLUTION_SUFFIX):
            assign = ASSIGN_RE.match(line)
            indent = line[: len(line) - len(line.lstrip())]
            out.append(assign.group(1) + " ..." if assign else indent + "...")
            continue
        out.append(line)
    if inside:
        raise ValueError("BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out)


def solution_code(source: str) -> str:
    """The master's code with the markup removed and the solutions kept."""
    out = []
    for line in remove_ignored(source.split("\n")):
        stripped = line.rstrip()
        if BEGIN_SOLUTION_RE.match(line) or stripped.endswith(END_SOLUTION):
            continue
        for suffix in (SOLUTION_NO_PROMPT_SUFFIX, SOLUTION_SUFFIX):
            if stripped.endswith(suffix):
                line = stripped[: -len(suffix)].rstrip()
                break
        out.append(line)
    return "\n".join(out)


def has_solution_markup(source: str) -> bool:
    lines = source.split("\n")
    return any(
        BEGIN_SOLUTION_RE.match(line) or line.rstrip().endswith(SOLUTION_SUFFIX) for line in lines
    )
