"""The kit's Python API, keyword-only; the command line is a thin layer over it."""

from __future__ import annotations

from pathlib import Path

from autograder.batch.run import grade_submissions
from autograder.config import GradeConfig, Limits
from autograder.course.roster import read_roster
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


def generate(*, assignments: list[str], out: Path, otter: bool = False) -> list[Path]:
    """Write student notebooks, solution notebooks and grading bundles.

    For each assignment with a master notebook: OUT/<id>/student/ (the notebook, nnkit_check.py,
    data), OUT/<id>/solution/, OUT/<id>/grading/ (suite, reference, manifest.json) and
    OUT/<id>/<id>_gradescope.zip; with `otter`, also an otter-grader autograder in grading/
    (instructor-side: it holds the hidden tests).
    """
    from autograder.author.generate import generate as generate_notebooks
    from autograder.export.gradescope import build_zip

    written = generate_notebooks(list(assignments), Path(out))
    done = sorted({p.relative_to(out).parts[0] for p in written})
    written += [build_zip(assignment_id, Path(out) / assignment_id) for assignment_id in done]
    if otter:  # about 10-35 s per assignment: three otter subprocesses
        from autograder.export.otter import build_otter_autograder

        written += [build_otter_autograder(a, Path(out) / a / "grading") for a in done]
    return written


def demo(*, out: Path, jobs: int | None = None) -> list[ClassResult]:
    """The whole story: generate the notebooks, grade each sample class, write the reports."""
    from autograder.assignments import IDS
    from autograder.author.sync import existing_masters
    from autograder.proof.boundaries import playground_gallery
    from autograder.proof.samples import build_sample_class

    ids = [a.id for a in existing_masters(IDS)]
    generate(assignments=ids, out=out / "generated")
    print(f"student notebooks: {out / 'generated'}/<assignment>/student/")
    graded = []
    for assignment_id in ids:
        samples = out / "samples" / assignment_id
        build_sample_class(assignment_id, out / "generated" / assignment_id, samples)
        config = GradeConfig(
            assignment=assignment_id,
            out=out / "graded" / assignment_id,
            limits=Limits(call_seconds=3.0, submission_seconds=30.0),
            **({"jobs": jobs} if jobs else {}),
        )
        print(f"\ngrading the {assignment_id} sample class ({samples})")
        graded.append(grade(config=config, paths=[samples]))
        print(graded[-1].summary())
        print(f"  gradebook:    {graded[-1].gradebook}\n  class report: {graded[-1].report}")
    gallery = playground_gallery(out / "playground")
    print(f"\nreference decision boundaries: {gallery.paths[-1]}")
    return graded
