"""Speed of grading, measured against baselines taken in the same run (`make bench`).

Submissions are copies of the generated solution notebook of an assignment (a notebook holding
the reference answers). Baselines:
- a Jupyter kernel executing that notebook once (nbclient), the least a kernel-based grader pays;
- `otter run` on the same notebook with the otter autograder `autograder.otter_export` builds from
  the suite (same tests and points), when otter-grader is installed.
Figures are ratios and medians: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.batch import grade_class
from autograder.config import GradeConfig
from autograder.notebooks.generate import generate
from autograder.otter_export import OtterExportError, build_otter_autograder

ROOT = Path(__file__).resolve().parent.parent


def _copies(notebook: Path, folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        shutil.copy(notebook, folder / f"s{i:04d}.ipynb")
    return folder


def ours(assignment: str, folder: Path, out: Path, jobs: int) -> tuple[float, float]:
    """(median seconds per submission as the grader measured it, wall seconds for the batch)."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    graded = grade_class(
        config=GradeConfig(assignment=assignment, out=out, jobs=jobs, progress=False),
        paths=[folder],
    )
    wall = time.perf_counter() - start
    assert all(r.score == r.max_score for r in graded.results), "the reference lost points"
    return statistics.median(r.seconds for r in graded.results), wall


def kernel(notebook: Path, repeats: int) -> float:
    """Median seconds for a Jupyter kernel to execute the notebook top to bottom."""
    times = []
    for _ in range(repeats):
        nb = nbformat.read(notebook, as_version=4)
        start = time.perf_counter()
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(notebook.parent)}},
        ).execute()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def otter(assignment: str, notebook: Path, work: Path, repeats: int) -> float | None:
    """Median seconds of `otter run` on the notebook, or None where otter cannot run here.

    The autograder zip is the one `autograder.otter_export` builds from the suite: the same tests,
    points and expected values as ours, run by otter in the notebook's own kernel.
    """
    otter_bin = shutil.which("otter", path=str(Path(sys.executable).parent))
    if not otter_bin:
        return None
    try:
        archive = build_otter_autograder(
            assignment, work / "otter", check_text=(notebook.parent / "nnkit_check.py").read_text()
        )
    except OtterExportError as e:
        print(f"  no otter autograder: {e}")
        return None
    times = []
    for i in range(repeats):
        out = work / f"run{i}"
        out.mkdir()
        start = time.perf_counter()
        ran = subprocess.run(
            [otter_bin, "run", "--no-logo", "-a", str(archive), "-o", str(out), str(notebook)],
            cwd=work,
            capture_output=True,
            text=True,
        )
        times.append(time.perf_counter() - start)
        if ran.returncode != 0:
            print(f"  otter run failed: {ran.stderr.strip()[-300:]}")
            return None
        results = json.loads((out / "results.json").read_text())
        got = sum(t.get("score", 0) for t in results["tests"])
        wanted = sum(t.get("max_score", 0) for t in results["tests"])
        if abs(got - wanted) > 1e-6:
            print(f"  otter run gave the reference {got} of {wanted}")
            return None
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignment", default="logistic_regression")
    parser.add_argument("--class-size", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each baseline")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nnkit-bench-"))
    generate([args.assignment], work / "gen")
    notebook = next((work / "gen" / args.assignment / "solution").glob("*.ipynb"))
    print(f"assignment {args.assignment}: submissions are copies of {notebook.name}")

    per_sub, _ = ours(args.assignment, _copies(notebook, work / "c30", 30), work / "o30", 1)
    base = kernel(notebook, args.repeats)
    print(f"ours, 1 job:            {per_sub:6.3f} s median per submission")
    print(
        f"jupyter kernel:         {base:6.3f} s median to execute the notebook "
        f"-> ours is {base / per_sub:5.1f}x faster"
    )
    otter_s = otter(args.assignment, notebook, work, args.repeats)
    if otter_s is not None:
        print(
            f"otter run:              {otter_s:6.3f} s median per submission "
            f"-> ours is {otter_s / per_sub:5.1f}x faster"
        )

    print("scale, 2 jobs (time should grow linearly with the class):")
    sizes = sorted({max(1, args.class_size // 4), max(1, args.class_size // 2), args.class_size})
    walls = {}
    for n in sizes:
        _, walls[n] = ours(args.assignment, _copies(notebook, work / f"c{n}", n), work / f"o{n}", 2)
        print(f"  {n:5d} submissions: {walls[n]:6.1f} s  ({walls[n] / n * 1000:5.1f} ms each)")
    small, big = sizes[0], sizes[-1]
    growth = walls[big] / big / (walls[small] / small)
    print(f"  per-submission cost at {big} vs {small}: {growth:.2f} (1.00 = perfectly linear)")

    print("jobs (throughput on this machine):")
    folder = work / f"c{sizes[1]}"
    base_rate = None
    for jobs in (1, 2):
        _, wall = ours(args.assignment, folder, work / f"j{jobs}", jobs)
        rate = sizes[1] / wall
        base_rate = base_rate or rate
        print(f"  --jobs {jobs}: {rate:6.1f} submissions/s  ({rate / base_rate:.2f}x of 1 job)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
