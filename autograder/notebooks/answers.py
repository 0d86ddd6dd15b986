"""Export free-text answers for manual grading: one CSV per question, next to the gradebook.

A free-text question `q_name` is answered in the notebook by a top-level string assignment,
`ANSWER_q_name = "..."` (a triple-quoted string in practice). The answers are read statically
with ast: nothing a student wrote is run. A notebook that cannot be read, a missing assignment
and the untouched placeholder all give an empty answer, so every student has one row per file.
"""

from __future__ import annotations

import ast
import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from autograder.load import read_sources
from autograder.notebooks.master import ANSWER_PLACEHOLDER, ANSWER_PREFIX
from autograder.problems import NotGradable
from autograder.results import write_atomic

MAX_ANSWER_CHARS = 20_000
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")  # spreadsheet programs would run these


def read_answers(path: Path) -> dict[str, str]:
    """The `ANSWER_...` strings a notebook or .py file assigns at top level (the last one wins)."""
    found: dict[str, str] = {}
    try:
        sources = read_sources(Path(path))
    except NotGradable:
        return found
    for source in sources:
        if source is None:
            continue
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign):
                targets, value = node.targets, node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                targets, value = [node.target], node.value
            else:
                continue
            if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                continue
            for target in targets:
                if isinstance(target, ast.Name) and target.id.startswith(ANSWER_PREFIX):
                    found[target.id[len(ANSWER_PREFIX) :]] = value.value
    return found


def clean(answer: str) -> str:
    """The answer as a grader reads it: trimmed, the placeholder as empty, never a formula."""
    answer = answer.strip()
    if answer == ANSWER_PLACEHOLDER or answer in ("", "..."):
        return ""
    answer = answer[:MAX_ANSWER_CHARS]
    if answer.startswith(FORMULA_STARTS) or (answer.startswith("-") and answer[1:2].strip()):
        answer = "'" + answer
    return answer


def manual_questions(assignment_id: str) -> list[str]:
    """The free-text questions of an assignment's master notebook, in order (none without one)."""
    from autograder.assignments import get
    from autograder.notebooks.master import load_master
    from autograder.notebooks.sync import master_path

    path = master_path(get(assignment_id))
    return [q.name for q in load_master(path).manual] if path.exists() else []


def export_answers(
    submission_files: Iterable[Path] | Mapping[Path, str],
    out_dir: Path,
    *,
    questions: list[str] | None = None,
    assignment: str | None = None,
) -> list[Path]:
    """Write OUT_DIR/answers_<question>.csv (columns: student, answer); returns the files.

    `submission_files` is a list of files (the student id is the file's stem) or a mapping from
    file to student id, such as `autograder.batch.student_ids` returns. The questions are
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
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["student", "answer"])
        for sid in sorted(answers):
            writer.writerow([sid, clean(answers[sid].get(question, ""))])
        path = Path(out_dir) / f"answers_{question}.csv"
        write_atomic(path, buffer.getvalue())
        written.append(path)
    return written
