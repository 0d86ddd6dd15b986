"""Text that came from a submission: cleaned once where it enters, made safe where it leaves."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.model import SubmissionResult

MAX_TEXT = 20_000  # characters of one message, answer or test output
MAX_NOTES = 40  # notes kept for one submission
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet programs would run these


def clean(text: object, limit: int = MAX_TEXT) -> str:
    """Writable text: lone surrogates and encoding errors shown as escapes, cut at `limit`."""
    try:
        s = text if isinstance(text, str) else str(text)
    except ValueError:  # an integer of more digits than str() converts
        s = f"<a {type(text).__name__} too large to show>"
    if len(s) > limit:
        s = s[:limit] + " … (shortened)"
    return s.encode("utf-8", "backslashreplace").decode("utf-8")


def clean_notes(notes: list[str]) -> list[str]:
    """At most MAX_NOTES clean notes, and a last one saying how many more there were."""
    kept = [clean(n) for n in notes[:MAX_NOTES]]
    if len(notes) > MAX_NOTES:
        kept.append(f"... and {len(notes) - MAX_NOTES} more notes, not shown.")
    return kept


def clean_result(result: SubmissionResult) -> SubmissionResult:
    """The result with every string a submission could have written cleaned and capped."""
    outcomes = [
        dataclasses.replace(
            o,
            output=clean(o.output),
            kind=clean(o.kind, 200),
            debug=clean(o.debug),
            detail=clean(o.detail),
            diagnosis=clean(o.diagnosis, 2_000),
        )
        for o in result.outcomes
    ]
    return dataclasses.replace(
        result,
        student=clean(result.student, 200),
        outcomes=outcomes,
        notes=clean_notes(result.notes),
        slowest_call=clean(result.slowest_call, 500),
    )


def safe_cell(text: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = clean(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see the old or the new content, never a half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    # text is cleaned where it enters; an escape here still beats losing the whole file
    with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace", newline="") as f:
        f.write(text)
    os.replace(tmp, path)
