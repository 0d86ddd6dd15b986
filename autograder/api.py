"""The kit's Python API, keyword-only; the command line is a thin layer over it."""

from __future__ import annotations

from pathlib import Path

from autograder.batch import ClassResult, grade_class
from autograder.config import GradeConfig


def grade(*, config: GradeConfig, paths: list[Path]) -> ClassResult:
    """Grade submissions; writes DIR/gradebook.csv and DIR/<student>/results.json."""
    return grade_class(config=config, paths=paths)


def generate(*, assignments: list[str], out: Path) -> list[Path]:
    """Write student notebooks, solution notebooks and grading bundles.

    For each assignment with a master notebook: OUT/<id>/student/ (the notebook, nnkit_check.py,
    data), OUT/<id>/solution/ and OUT/<id>/grading/ (suite, reference, manifest.json).
    """
    from autograder.notebooks.generate import generate as generate_notebooks

    return generate_notebooks(list(assignments), Path(out))


def demo(*, out: Path) -> None:
    """Train the reference on the Playground patterns and grade the bundled sample class."""
    from autograder.boundaries import playground_gallery

    for path in playground_gallery(out / "playground"):
        print(path)
