"""The kit's Python API, keyword-only; the command line is a thin layer over it."""

from __future__ import annotations

from pathlib import Path

from autograder.batch import ClassResult, grade_class
from autograder.config import GradeConfig


def grade(*, config: GradeConfig, paths: list[Path]) -> ClassResult:
    """Grade submissions; writes DIR/gradebook.csv and DIR/<student>/results.json."""
    return grade_class(config=config, paths=paths)


def generate(*, assignments: list[str], out: Path) -> list[Path]:
    """Write student notebooks, solution notebooks and grading bundles."""
    raise NotImplementedError("generate arrives with the notebooks")


def demo(*, out: Path) -> None:
    """Train the reference on the Playground patterns and grade the bundled sample class."""
    from autograder.boundaries import playground_gallery

    for path in playground_gallery(out / "playground"):
        print(path)
