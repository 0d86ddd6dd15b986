"""Helpers shared by the kit's tests: a class of copies, and the gradebook as rows."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from autograder.assignments import ROOT

# a correct logistic_regression submission written as a student would (loops, not the reference)
CORRECT = ROOT / "tests" / "corpus" / "alternatives" / "logistic_regression" / "lr_loops.py"


@pytest.fixture
def make_class() -> Callable[..., Path]:
    """make_class(folder, n, source=CORRECT): FOLDER/s00.py ... copies of one submission."""

    def make(folder: Path, n: int, source: Path = CORRECT) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            shutil.copy(source, folder / f"s{i:02d}.py")
        return folder

    return make


@pytest.fixture
def gradebook() -> Callable[[Path], dict[str, dict[str, str]]]:
    """gradebook(out): OUT/gradebook.csv as {student: row}; a student listed twice fails."""

    def read(out: Path) -> dict[str, dict[str, str]]:
        with (out / "gradebook.csv").open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        students = [row["student"] for row in rows]
        assert len(set(students)) == len(students), "a student has two rows"
        return dict(zip(students, rows, strict=True))

    return read
