"""Command line: a thin layer over the keyword-only API in autograder.api."""

from __future__ import annotations

import argparse
import signal
import sys
from datetime import timedelta
from pathlib import Path

from autograder import api
from autograder.assignments import IDS
from autograder.author.sync import RUN_SYNC
from autograder.batch.run import Interrupted
from autograder.config import (
    DemoConfig,
    ExportConfig,
    GenerateConfig,
    GradeConfig,
    LatePolicy,
    Limits,
    SyncConfig,
    parse_time,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade submissions into a gradebook")
    grade.add_argument("assignment", choices=IDS)
    grade.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a notebook, a .py file, or a folder of them",
    )
    grade.add_argument("--out", type=Path, required=True, help="folder for the results")
    grade.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    grade.add_argument("--force", action="store_true", help="regrade unchanged submissions")
    grade.add_argument(
        "--call-timeout",
        type=float,
        default=Limits.call_seconds,
        help="seconds one call of a student function may take",
    )
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    grade.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="grade on a running Dask cluster, e.g. tcp://10.0.0.5:8786 (nnkit[cluster])",
    )
    grade.add_argument(
        "--allow-weaker-sandbox",
        action="store_true",
        help="grade without bubblewrap even where student code could read the kit, the other "
        "submissions or the results (here or on cluster workers): process limits only",
    )
    grade.add_argument(
        "--reveal-hidden",
        action="store_true",
        help="show students the inputs and values of hidden tests too (after the deadline)",
    )
    grade.add_argument(
        "--cold",
        action="store_true",
        help="start a new sandbox per submission instead of forking warm ones (slower)",
    )
    course = grade.add_argument_group("course (kept in DIR/course.json for later runs)")
    course.add_argument("--roster", type=Path, help="the LMS's class list (CSV)")
    course.add_argument(
        "--deadline", help="ISO 8601 time with its offset, e.g. 2026-03-15T23:59+01:00"
    )
    course.add_argument("--grace", type=float, default=0.0, help="hours late that cost nothing")
    course.add_argument(
        "--late-penalty",
        type=float,
        default=LatePolicy.percent_per_day,
        help="%% of the points possible per day late",
    )
    course.add_argument(
        "--late-cap", type=float, default=LatePolicy.cap_percent, help="the most a late loses, %%"
    )

    export = commands.add_parser("export", help="write the gradebook for an LMS's grade import")
    export.add_argument("folder", type=Path, metavar="DIR", help="a folder graded by `grade`")
    export.add_argument("--to", choices=("canvas", "moodle"), required=True)
    export.add_argument(
        "--roster",
        type=Path,
        required=True,
        help="Canvas's gradebook export or Moodle's participants export",
    )
    export.add_argument("--out", type=Path, required=True, help="the CSV file to write")

    generate = commands.add_parser("generate", help="write student notebooks and grading bundles")
    generate.add_argument("assignments", nargs="*", choices=[*IDS, []], metavar="ASSIGNMENT")
    generate.add_argument("--out", type=Path, required=True)
    generate.add_argument(
        "--otter",
        action="store_true",
        help="also build an otter-grader autograder zip per assignment",
    )
    generate.add_argument(
        "--provide-model",
        action="append",
        default=[],
        choices=IDS,
        metavar="ASSIGNMENT",
        help="give students this earlier assignment's model answers (after its deadline) instead "
        "of loading their own earlier notebook; repeat for several",
    )

    sync = commands.add_parser("sync", help="write the masters' solution cells from solutions/")
    sync.add_argument("assignments", nargs="*", choices=[*IDS, []], metavar="ASSIGNMENT")
    sync.add_argument("--check", action="store_true", help="change nothing; fail if out of sync")

    demo = commands.add_parser("demo", help="generate, grade the sample class, write reports")
    demo.add_argument("--out", type=Path, default=DemoConfig.out)
    demo.add_argument(
        "--jobs", type=int, default=DemoConfig.jobs, help="worker processes (default: cores)"
    )
    return parser


def _late_policy(args: argparse.Namespace) -> LatePolicy | None:
    if not args.deadline:
        return None
    return LatePolicy(
        deadline=parse_time(args.deadline),
        grace=timedelta(hours=args.grace),
        percent_per_day=args.late_penalty,
        cap_percent=args.late_cap,
    )


def _sync(config: SyncConfig) -> int:
    """Print each master's state; 1 when --check found one out of sync."""
    stale = 0
    for master, changed in api.sync(config=config).items():
        if changed and config.check:
            stale += 1
            print(f"{master}: out of sync in {', '.join(changed)}: {RUN_SYNC}")
        else:
            print(f"{master}: " + (f"rewrote {', '.join(changed)}" if changed else "in sync"))
    return 1 if stale else 0


def _demo(config: DemoConfig) -> None:
    done = api.demo(config=config, say=lambda line: print(f"\n{line}"))
    for graded in done.classes:
        print(f"\n{graded.gradebook.parent.name}:\n{graded.summary()}")
        print(f"  gradebook:    {graded.gradebook}\n  class report: {graded.report}")
    print(f"\nstudent notebooks: {done.generated}/<assignment>/student/")
    print(f"reference decision boundaries: {done.gallery}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for stop in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C even where SIGINT came in ignored (a
        signal.signal(stop, _interrupt)  # background or test runner's child): rows are kept
    try:
        if args.command == "grade":
            config = GradeConfig(
                assignment=args.assignment,
                out=args.out,
                limits=Limits(call_seconds=args.call_timeout),
                force=args.force,
                reveal_hidden=args.reveal_hidden,
                scheduler=args.scheduler,
                allow_weaker_sandbox=args.allow_weaker_sandbox,
                progress=not args.no_progress,
                warm=not args.cold,
                roster=args.roster,
                late=_late_policy(args),
                **({"jobs": args.jobs} if args.jobs else {}),
            )
            graded = api.grade(config=config, paths=args.paths)
            for note in graded.notes:
                print(note if note.startswith("WARNING") else f"note: {note}", file=sys.stderr)
            print(graded.summary())
            print(f"sandbox:      {graded.isolation.summary}")
            print(f"gradebook:    {graded.gradebook}")
            print(f"class report: {graded.report}")
            print(f"feedback:     {config.out}/<student>/feedback.html")
        elif args.command == "export":
            export = ExportConfig(folder=args.folder, to=args.to, roster=args.roster, out=args.out)
            done = api.export(config=export)
            for note in done.notes:
                print(f"note: {note}", file=sys.stderr)
            print(f"{done.rows} students written to {done.path}")
        elif args.command == "generate":
            chosen = tuple(args.assignments or IDS)
            config = GenerateConfig(
                chosen, args.out, otter=args.otter, provide_model=tuple(args.provide_model)
            )
            made = api.generate(config=config)
            for note in made.notes:
                print(f"note: {note}", file=sys.stderr)
            for path in made.paths:
                print(path)
        elif args.command == "sync":
            return _sync(SyncConfig(tuple(args.assignments), check=args.check))
        else:
            _demo(DemoConfig(out=args.out, jobs=args.jobs))
    except Interrupted as e:
        print(e, file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (FileNotFoundError, ValueError, RuntimeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
