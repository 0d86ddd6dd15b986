"""Speed of grading, measured against baselines taken in the same run (`make bench`).

Submissions are copies of the generated solution notebook of an assignment (a notebook holding
the reference answers). Baselines:
- a Jupyter kernel executing that notebook once (nbclient), the least a kernel-based grader pays;
- `otter run` on the same notebook with the otter autograder `autograder.export.otter` builds from
  the suite (same tests and points), when otter-grader is installed.
- a bare sandboxed interpreter start, `python -I -c "import numpy"` in bubblewrap with the
  sandbox's own options: what a grader that starts one sandbox per submission cannot go below.
Figures are ratios and medians: these machines are shared and noisy. The last lines compare the
figures with the targets of issue 15 (warm sandboxes) and say which are met.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.api import grade
from autograder.assignments import secret_paths
from autograder.author.generate import generate
from autograder.config import GradeConfig, Limits
from autograder.export.otter import OtterExportError, build_otter_autograder
from autograder.sandbox.launcher import bwrap_command, detect_isolation

ROOT = Path(__file__).resolve().parent.parent


class CpuMeter:
    """CPU seconds used by this process and everything it starts, sandboxes included, counted by
    a cgroup of its own (cpuacct on cgroup v1, cpu.stat on v2): a figure a loaded machine does
    not distort as it distorts wall time. Needs root; `seconds()` is None without it."""

    def __init__(self) -> None:
        self.path: Path | None = None
        for root, knob in ((Path("/sys/fs/cgroup/cpuacct"), "cpuacct.usage"),
                           (Path("/sys/fs/cgroup"), "cpu.stat")):  # fmt: skip
            path = root / f"nnkit-bench-{os.getpid()}"
            try:
                path.mkdir()
                (path / "cgroup.procs").write_text(str(os.getpid()))
            except OSError:
                with contextlib.suppress(OSError):
                    path.rmdir()
                continue
            self.path, self.knob, self.root = path, knob, root
            return

    def seconds(self) -> float | None:
        if not self.path:
            return None
        text = (self.path / self.knob).read_text()
        if self.knob == "cpuacct.usage":
            return int(text) / 1e9
        return int(text.split("usage_usec")[1].split()[0]) / 1e6

    def close(self) -> None:
        if self.path:
            (self.root / "cgroup.procs").write_text(str(os.getpid()))
            with contextlib.suppress(OSError):
                self.path.rmdir()


def _copies(notebook: Path, folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        shutil.copy(notebook, folder / f"s{i:04d}.ipynb")
    return folder


def ours(
    assignment: str,
    folder: Path,
    out: Path,
    jobs: int,
    warm: bool = True,
    scheduler: str | None = None,
) -> tuple[float, float]:
    """(median seconds per submission as the grader measured it, wall seconds for the batch)."""
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    config = GradeConfig(
        assignment=assignment, out=out, jobs=jobs, progress=False, warm=warm, scheduler=scheduler
    )
    graded = grade(config=config, paths=[folder])
    wall = time.perf_counter() - start
    assert all(r.score == r.max_score for r in graded.results), "the reference lost points"
    return statistics.median(r.seconds for r in graded.results), wall


def bare_start(scratch: Path, repeats: int) -> float | None:
    """Median seconds of `python -I -c "import numpy"` in a bubblewrap sandbox, as ours start."""
    isolation = detect_isolation(warm=False)
    if not isolation.bwrap:
        return None
    scratch.mkdir(parents=True)
    argv = [sys.executable, "-I", "-c", "import numpy"]
    cmd = bwrap_command(isolation.bwrap, scratch, argv, Limits(), secret_paths())
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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

    The autograder zip is the one `autograder.export.otter` builds from the suite: the same tests,
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


def similarity_cost(work: Path) -> None:
    """Seconds the similarity pass adds to grading a 25-submission class, and what it flags:
    the 15 logistic_regression alternatives (independent right answers) and 10 disguised copies
    of them (renamed variables, reordered functions)."""
    if importlib.util.find_spec("copydetect") is None:
        print("similarity: skipped (copydetect is not installed: pip install 'nnkit[similarity]')")
        return
    from test_similarity import SAME_CODE, independent, planted_copy

    from autograder.course.similarity import find_similar

    folder = work / "similar"
    folder.mkdir()
    corpus = sorted((ROOT / "tests" / "corpus" / "alternatives" / "logistic_regression").iterdir())
    for p in corpus:
        shutil.copy(p, folder / p.name)
    originals = independent("logistic_regression")[:10]
    for p in originals:
        (folder / f"copy_of_{p.stem}.py").write_text(planted_copy(p, "logistic_regression"))
    files = {p.stem: p for p in sorted(folder.iterdir())}
    start = time.perf_counter()
    config = GradeConfig(assignment="logistic_regression", out=work / "similar_out", jobs=2,
                         progress=False)  # fmt: skip
    grade(config=config, paths=[folder])
    wall = time.perf_counter() - start
    runs = [find_similar(files, assignment="logistic_regression") for _ in range(3)]
    found = sorted(runs, key=lambda r: r.seconds)[1]  # the median run
    copies = {tuple(sorted((p.stem, f"copy_of_{p.stem}"))) for p in originals}
    pairs = {(p.a, p.b) for p in found.pairs}
    # one body of code in five files: saved four ways, and with its constants computed
    one_body = {Path(n).stem for n in SAME_CODE} | {"lr_notebook", "lr_computed_constants"}
    one_body |= {f"copy_of_{n}" for n in one_body}
    same = {pair for pair in pairs - copies if set(pair) <= one_body}
    print(
        f"similarity, {len(files)} submissions ({len(corpus)} alternatives, {len(copies)} copies):"
    )
    print(
        f"  copies found: {len(pairs & copies)} of {len(copies)}; pairs among the files that "
        f"hold one body of code: {len(same)}; other pairs flagged: {sorted(pairs - copies - same)}"
    )
    print(
        f"  the pass takes {found.seconds:.2f} s, {found.seconds / wall:.1%} of grading the "
        f"class ({wall:.1f} s on 2 jobs, the pass included)"
    )
    distinct = work / "similar-distinct"  # the alternatives again, each copy with its own constant
    distinct.mkdir()
    for i in range(150):
        text = corpus[i % len(corpus)].read_text() + f"\n\nSTUDENT_NUMBER = {i}\n"
        (distinct / f"s{i:03d}.py").write_text(text)
    files = {p.stem: p for p in sorted(distinct.iterdir())}
    took = {
        j: find_similar(files, assignment="logistic_regression", jobs=j).seconds for j in (1, 2)
    }
    print(
        f"  150 distinct submissions (every pair compared): {took[1]:.1f} s on 1 process, "
        f"{took[2]:.1f} s on 2 ({took[1] / took[2]:.2f}x)"
    )


def cluster_cost(assignment: str, notebook: Path, work: Path, n: int) -> None:
    """Throughput of a loopback Dask cluster (scheduler + 2 single-threaded workers) against the
    local pool with 2 jobs on the same class, and what each submission pays for the scheduler."""
    if importlib.util.find_spec("distributed") is None:
        print("cluster: skipped (dask is not installed: pip install 'nnkit[cluster]')")
        return
    from loopback import loopback_cluster

    folder = _copies(notebook, work / "cluster-class", n)
    local, remote = [], []
    with loopback_cluster(work / "cluster") as (address, _):
        for i in range(3):  # in turn, so that the load of a shared machine falls alike on each
            local.append(ours(assignment, folder, work / f"cl-local{i}", 2)[1])
            remote.append(ours(assignment, folder, work / f"cl-remote{i}", 2, scheduler=address)[1])
    lw, rw = statistics.median(local), statistics.median(remote)
    print(f"cluster on loopback, {n} submissions, 2 workers vs 2 local jobs (medians of 3 runs):")
    print(f"  local pool: {n / lw:6.1f} submissions/s   cluster: {n / rw:6.1f} submissions/s")
    print(
        f"  -> the cluster runs at {lw / rw:.2f}x the local pool's throughput; the scheduler path "
        f"costs {(rw - lw) / n * 1000:+.0f} ms per submission ({rw / lw:.2f}x the local time)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--assignment", default="logistic_regression")
    parser.add_argument("--class-size", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each baseline")
    parser.add_argument(
        "--only-cluster", action="store_true", help="measure the Dask cluster path alone"
    )
    parser.add_argument("--cluster-size", type=int, default=30, help="class graded on the cluster")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="nnkit-bench-"))
    generate([args.assignment], work / "gen")
    notebook = next((work / "gen" / args.assignment / "solution").glob("*.ipynb"))
    print(f"assignment {args.assignment}: submissions are copies of {notebook.name}")
    print(f"load average at the start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.only_cluster:
        cluster_cost(args.assignment, notebook, work, args.cluster_size)
        shutil.rmtree(work, ignore_errors=True)
        return

    c30 = _copies(notebook, work / "c30", 30)
    rounds: dict[str, list[float]] = {"warm": [], "wall": [], "cold": [], "bare": []}
    meter, cpu = CpuMeter(), {"warm": 0.0, "cold": 0.0, "bare": 0.0}
    for i in range(3):  # in turn, so that the load of a shared machine falls alike on each
        before = meter.seconds()
        cold, _ = ours(args.assignment, c30, work / f"o30cold{i}", 1, warm=False)
        after_cold = meter.seconds()
        warm, wall30 = ours(args.assignment, c30, work / f"o30-{i}", 1)
        after_warm = meter.seconds()
        bare_s = bare_start(work / f"bare{i}", 4 * args.repeats)
        if before is not None and after_cold is not None and after_warm is not None:
            cpu["cold"] += (after_cold - before) / 30 / 3
            cpu["warm"] += (after_warm - after_cold) / 30 / 3
            cpu["bare"] += ((meter.seconds() or 0.0) - after_warm) / (4 * args.repeats) / 3
        for key, value in (("warm", warm), ("wall", wall30 / 30), ("cold", cold)):
            rounds[key].append(value)
        if bare_s is not None:
            rounds["bare"].append(bare_s)
    per_sub, cold = statistics.median(rounds["warm"]), statistics.median(rounds["cold"])
    bare = statistics.median(rounds["bare"]) if rounds["bare"] else None
    base = kernel(notebook, args.repeats)
    print(
        f"ours, 1 job:            {per_sub:6.3f} s median per submission "
        f"({statistics.median(rounds['wall']):.3f} s of wall time each, "
        f"{cold:.3f} s median on cold sandboxes; medians of 3 rounds)"
    )
    if bare is not None:
        ratios = sorted(w / b for w, b in zip(rounds["warm"], rounds["bare"], strict=True))
        print(
            f"bare sandboxed start:   {bare:6.3f} s median for python -I -c 'import numpy' "
            f"in bwrap -> ours is {per_sub / bare:4.2f}x that (cold: {cold / bare:4.2f}x; "
            f"rounds: {', '.join(f'{r:.2f}x' for r in ratios)})"
        )
    if meter.path and bare is not None:
        print(
            f"CPU time (every process, sandboxes included; load does not distort it): "
            f"ours {cpu['warm'] * 1000:.0f} ms per submission, cold {cpu['cold'] * 1000:.0f} ms, "
            f"bare start {cpu['bare'] * 1000:.0f} ms -> ours is {cpu['warm'] / cpu['bare']:.2f}x "
            f"(cold {cpu['cold'] / cpu['bare']:.2f}x); the batch's start-up is included"
        )
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
    walls, class_cpu = {}, None
    for n in sizes:
        before = meter.seconds()
        _, walls[n] = ours(args.assignment, _copies(notebook, work / f"c{n}", n), work / f"o{n}", 2)
        after = meter.seconds()
        print(f"  {n:5d} submissions: {walls[n]:6.1f} s  ({walls[n] / n * 1000:5.1f} ms each)")
        class_cpu = (after - before) / n if before is not None and after is not None else None
    meter.close()
    small, big = sizes[0], sizes[-1]
    growth = walls[big] / big / (walls[small] / small)
    print(f"  per-submission cost at {big} vs {small}: {growth:.2f} (1.00 = perfectly linear)")
    if bare is not None:
        bare_now = bare_start(work / "bare-after", 4 * args.repeats) or bare  # the load of now
        print(f"  bare sandboxed start right after: {bare_now:.3f} s median")
        if class_cpu is not None and cpu["bare"]:
            print(
                f"  CPU per student at {sizes[-1]} (every process; load does not distort it): "
                f"{class_cpu * 1000:.0f} ms, {class_cpu / cpu['bare']:.2f}x the bare start's; "
                f"on 2 free cores the class needs at least {class_cpu / 2 / cpu['bare']:.2f}x"
            )
        targets = [
            ("1 job, per submission vs the bare start", per_sub / bare, "<=", 1.0),
            (f"{big} students on 2 jobs, per student vs the bare start",
             walls[big] / big / bare_now, "<=", 0.6),
        ]  # fmt: skip
        if otter_s is not None:
            targets.append(("faster than otter run", otter_s / per_sub, ">=", 25.0))
        print("targets (issue 15):")
        for name, value, sense, goal in targets:
            met = value <= goal if sense == "<=" else value >= goal
            print(f"  {name}: {value:5.2f}x (target {sense} {goal}x) {'met' if met else 'MISSED'}")

    print("jobs (throughput on this machine):")
    folder = work / f"c{sizes[1]}"
    base_rate = None
    for jobs in (1, 2):
        _, wall = ours(args.assignment, folder, work / f"j{jobs}", jobs)
        rate = sizes[1] / wall
        base_rate = base_rate or rate
        print(f"  --jobs {jobs}: {rate:6.1f} submissions/s  ({rate / base_rate:.2f}x of 1 job)")
    similarity_cost(work)
    cluster_cost(args.assignment, notebook, work, args.cluster_size)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
