"""The kit's Python API, keyword-only; the command line is a thin layer over it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder.batch.run import grade_submissions
from autograder.config import (
    DemoConfig,
    ExportConfig,
    GenerateConfig,
    GradeConfig,
    Limits,
    SyncConfig,
)
from autograder.course.roster import read_roster
from autograder.export.lms import Exported
from autograder.report.publish import ClassResult, publish, student_pages


def grade(*, config: GradeConfig, paths: list[Path]) -> ClassResult:
    """Grade submissions; writes DIR/gradebook.csv and DIR/<student>/results.json.

    Raises batch.run.Interrupted after publishing every finished row when stopped by a signal.
    """
    if config.roster:
        read_roster(config.roster)  # a bad roster is said before anything is graded
    graded = grade_submissions(config=config, paths=paths, pages=student_pages(config.out))
    published = publish(config=config, graded=graded)
    if graded.interrupted:
        raise graded.interrupted
    return published


@dataclass
class Generated:
    """What `generate` wrote, and the assignments it skipped (no master notebook yet)."""

    paths: list[Path]
    notes: list[str] = field(default_factory=list)


def generate(*, config: GenerateConfig) -> Generated:
    """Write student notebooks, solution notebooks and grading bundles.

    For each assignment with a master notebook: OUT/<id>/student/ (the notebook, nnkit_check.py,
    data), OUT/<id>/solution/, OUT/<id>/grading/ (suite, reference, manifest.json) and
    OUT/<id>/<id>_gradescope.zip; with `otter`, also an otter-grader autograder in grading/
    (instructor-side: it holds the hidden tests). `provide_model` gives the student folders
    those earlier assignments' model answers.
    """
    from autograder.author.generate import generate as generate_notebooks
    from autograder.author.sync import existing_masters
    from autograder.export.gradescope import build_zip

    out, ids = Path(config.out), list(config.assignments)
    ready = [a.id for a in existing_masters(tuple(ids))]
    notes = [f"{a}: no master notebook yet, skipped" for a in ids if a not in ready]
    if not ready:
        raise FileNotFoundError(
            f"none of {', '.join(ids)} has a master notebook (assignments/<id>/master.ipynb)"
        )
    written = generate_notebooks(ready, out, provide_model=config.provide_model)
    done = sorted({p.relative_to(out).parts[0] for p in written})
    written += [build_zip(assignment_id, out / assignment_id) for assignment_id in done]
    if config.otter:  # about 10-35 s per assignment: three otter subprocesses
        from autograder.export.otter import build_otter_autograder

        written += [build_otter_autograder(a, out / a / "grading") for a in done]
    return Generated(written, notes)


def sync(*, config: SyncConfig) -> dict[str, list[str]]:
    """Write the masters' solution cells from solutions/ (or only compare, with `check`).

    Returns each master, as shown to the instructor, with the cells that were (or are) out of sync.
    """
    from autograder.author.sync import sync_masters

    return sync_masters(config.assignments, check=config.check)


def export(*, config: ExportConfig) -> Exported:
    """Write the gradebook of a graded folder as an LMS's grade import (Canvas or Moodle)."""
    from autograder.export.lms import export as export_lms

    return export_lms(folder=config.folder, to=config.to, roster=config.roster, out=config.out)


@dataclass
class Demo:
    """What the demo made: the generated notebooks, each sample class graded, the gallery."""

    generated: Path
    classes: list[ClassResult]
    gallery: Path


def demo(*, config: DemoConfig, say: Callable[[str], None] = lambda line: None) -> Demo:
    """The whole story: generate the notebooks, grade each sample class, write the reports.

    `say` hears each step as it starts (the CLI prints it), since the demo takes minutes.
    """
    from autograder.assignments import IDS
    from autograder.author.sync import existing_masters
    from autograder.proof.boundaries import playground_gallery
    from autograder.proof.samples import build_sample_class

    out = Path(config.out)
    ids = [a.id for a in existing_masters(IDS)]
    say(f"generating the student notebooks into {out / 'generated'}/<assignment>/student/")
    generate(config=GenerateConfig(assignments=tuple(ids), out=out / "generated"))
    graded = []
    for assignment_id in ids:
        samples = out / "samples" / assignment_id
        build_sample_class(assignment_id, out / "generated" / assignment_id, samples)
        grading = GradeConfig(
            assignment=assignment_id,
            out=out / "graded" / assignment_id,
            limits=Limits(call_seconds=3.0, submission_seconds=30.0),
            **({"jobs": config.jobs} if config.jobs else {}),
        )
        say(f"grading the {assignment_id} sample class ({samples})")
        graded.append(grade(config=grading, paths=[samples]))
    gallery = playground_gallery(out / "playground")
    return Demo(out / "generated", graded, gallery.paths[-1])
