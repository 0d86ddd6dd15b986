"""What intake recorded about each submission, as the gradebook's further columns read it."""

from __future__ import annotations

import json
from pathlib import Path

SOURCE = "source_file"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet programs would run these


def safe_cell(text: object) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def submission_info(out: Path, student: str) -> dict:
    """What intake recorded about a student's submission (DIR/<student>/submission.json)."""
    try:
        data = json.loads((Path(out) / student / "submission.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
