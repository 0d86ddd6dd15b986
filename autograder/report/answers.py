"""Export free-text answers for manual grading: one CSV per question, next to the gradebook.

A free-text question `q_name` is answered in the notebook by a top-level string assignment,
`ANSWER_q_name = "..."` (a triple-quoted string in practice). The answers are read statically,
by tokenising: nothing a student wrote is run, and no syntax tree is built. A notebook that
cannot be read, a missing assignment and the untouched placeholder all give an empty answer, so
every student has one row per file.
"""

from __future__ import annotations

import ast
import csv
import io
import tokenize
from collections.abc import Iterable, Mapping
from pathlib import Path

from autograder.author.master import ANSWER_PLACEHOLDER, ANSWER_PREFIX
from autograder.course.manual import GRADER_COLUMNS, read_graded
from autograder.problems import NotGradable
from autograder.sandbox.load import read_sources
from autograder.text import clean as clean_text
from autograder.text import safe_cell, write_atomic

MAX_ANSWER_CHARS = 20_000
MAX_STATEMENT_TOKENS = 64  # an answer assignment is a name, '=' and a few strings
HEAD = ["student", "answer", "score", "comment"]  # score and comment are the grader's to fill in


def read_answers(path: Path) -> dict[str, str]:
    """The `ANSWER_...` strings a notebook or .py file assigns at top level (the last one wins)."""
    found: dict[str, str] = {}
    try:
        sources = read_sources(Path(path))
    except NotGradable:
        return found
    for source in sources:
        if source is not None and ANSWER_PREFIX in source:  # tokenise only where answers can be
            found.update(_top_level_answers(source))
    return found


def _top_level_answers(source: str) -> dict[str, str]:
    """`ANSWER_x = "..."` statements at the top level of `source`, found by tokenising it.

    No syntax tree is built (a huge expression would take the grader's memory with it), and a
    statement is kept only while it is short enough to be such an assignment.
    """
    found: dict[str, str] = {}
    statement: list[tokenize.TokenInfo] = []
    level, long = 0, False
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.INDENT:
                level += 1
            elif tok.type == tokenize.DEDENT:
                level -= 1
            elif tok.type in (tokenize.NEWLINE, tokenize.ENDMARKER) or tok.string == ";":
                if level == 0 and not long:
                    found.update(_assignment(statement))
                statement, long = [], False
            elif tok.type not in (tokenize.NL, tokenize.COMMENT):
                long = long or len(statement) >= MAX_STATEMENT_TOKENS
                statement += [] if long else [tok]
    except (tokenize.TokenError, SyntaxError):
        return {}
    return found


def _assignment(tokens: list[tokenize.TokenInfo]) -> dict[str, str]:
    """{question: answer} for `ANSWER_q [: type] = [ANSWER_r =] "string" ["string"...]`."""
    parts: list[list[tokenize.TokenInfo]] = [[]]
    for tok in tokens:
        if tok.type == tokenize.OP and tok.string == "=":
            parts.append([])
        else:
            parts[-1].append(tok)
    *targets, value = parts
    if not targets or not value or any(t.type != tokenize.STRING for t in value):
        return {}
    names = [t[0].string for t in targets if t and t[0].type == tokenize.NAME]
    annotated = len(targets) == 1 and len(targets[0]) > 1 and targets[0][1].string == ":"
    if len(names) != len(targets) or (any(len(t) > 1 for t in targets) and not annotated):
        return {}
    try:
        text = ast.literal_eval(" ".join(t.string for t in value))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return {}
    if not isinstance(text, str):
        return {}
    return {n[len(ANSWER_PREFIX) :]: text for n in names if n.startswith(ANSWER_PREFIX)}


def clean(answer: str) -> str:
    """The answer as a grader reads it: trimmed, the placeholder as empty, never a formula."""
    answer = answer.strip()
    if answer == ANSWER_PLACEHOLDER or answer in ("", "..."):
        return ""
    return safe_cell(clean_text(answer, MAX_ANSWER_CHARS))


def manual_questions(assignment_id: str) -> list[str]:
    """The free-text questions of an assignment's master notebook, in order (none without one)."""
    return list(manual_points(assignment_id, default=0.0))


def manual_points(assignment_id: str, *, default: float | None = None) -> dict[str, float]:
    """Each free-text question's `points:` in the master notebook (`default` when it has none;
    questions without points are left out when `default` is None)."""
    from autograder.assignments import get
    from autograder.author.master import load_master
    from autograder.author.sync import master_path

    path = master_path(get(assignment_id))
    found: dict[str, float] = {}
    for q in load_master(path).manual if path.exists() else []:
        try:
            found[q.name] = float(q.config["points"])
        except (KeyError, TypeError, ValueError):
            if default is not None:
                found[q.name] = default
    return found


def export_answers(
    submission_files: Iterable[Path] | Mapping[Path, str],
    out_dir: Path,
    *,
    questions: list[str] | None = None,
    assignment: str | None = None,
) -> list[Path]:
    """Write OUT_DIR/answers_<question>.csv (student, answer, score, comment); returns the files.

    Scores and comments a grader already wrote in an earlier file are kept, and so are the rows
    of students not in this run: a new export never overwrites manual grading.

    `submission_files` is a list of files (the student id is the file's stem) or a mapping from
    file to student id, such as `autograder.batch.run.student_ids` returns. The questions are
    `questions`, else those of `assignment`'s master notebook, else every answer found.
    """
    if isinstance(submission_files, Mapping):
        students = dict(submission_files)
    else:
        students = {Path(p): Path(p).stem for p in submission_files}
    answers = {sid: read_answers(path) for path, sid in students.items()}
    if questions is None and assignment is not None:
        questions = manual_questions(assignment)
    if not questions:
        questions = sorted({q for found in answers.values() for q in found})
    written = []
    for question in questions:
        path = Path(out_dir) / f"answers_{question}.csv"
        kept = _earlier_rows(path)
        graded = read_graded(path)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(HEAD)
        for sid in sorted(set(answers) | set(kept)):
            answer = clean(answers[sid].get(question, "")) if sid in answers else kept[sid]
            marks = graded.get(sid, {})
            writer.writerow(
                [safe_cell(sid), answer, *(clean(marks.get(c, "")) for c in GRADER_COLUMNS)]
            )
        write_atomic(path, buffer.getvalue())
        written.append(path)
    return written


def _earlier_rows(path: Path) -> dict[str, str]:
    """The answers an earlier export wrote, by student."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            return {
                r["student"]: r.get("answer") or "" for r in csv.DictReader(f) if r.get("student")
            }
    except (OSError, csv.Error, UnicodeDecodeError, KeyError):
        return {}
