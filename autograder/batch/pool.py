"""Worker processes that grade submissions, each talking to the parent over its own pipe.

The parent hands out one task at a time and knows what each worker holds, so a worker that dies
(or holds a task past its deadline) costs only the submission it held: that submission is graded
again alone, and one that kills a worker twice gets a row saying so. A worker that was told there
is no more work and exits is not a death.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from pathlib import Path

from tqdm import tqdm

Task = tuple[str, str]  # (file, student id)
MAX_IDLE_DEATHS = 3  # workers that die before grading anything: the grader itself is broken


def _serve(conn: Connection, grade: Callable) -> None:
    """In a worker: ask for tasks, grade them, send results back, until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def feed():
        while True:
            conn.send(("next", None))
            task = conn.recv()
            if task is None:
                return
            yield Path(task[0]), task[1]

    grade(feed(), lambda result: conn.send(("done", result)))


class _Worker:
    def __init__(self, ctx, grade: Callable, solo: Task | None = None) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, grade), daemon=True)
        self.process.start()
        child.close()
        self.held: list[Task] = []  # handed out and not yet returned, oldest first
        self.since = 0.0  # when the oldest held task was handed out
        self.solo = deque([solo]) if solo else None  # a retry, graded alone
        self.stopped = False  # told that there is no more work
        self.graded = 0
        self.closed = False

    def dead(self) -> bool:
        """Gone, with nothing left to read from it."""
        return not self.process.is_alive() and (self.closed or not self.conn.poll())

    def overdue(self, seconds: float | None) -> bool:
        return bool(self.held) and seconds is not None and time.monotonic() - self.since > seconds

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=10)
        self.closed = True

    def hand(self, task: Task | None) -> None:
        """Send the next task (None: stop); a failed send is handled when the worker is dead."""
        if task is None:
            self.stopped = True
        else:
            if not self.held:
                self.since = time.monotonic()
            self.held.append(task)
        with contextlib.suppress(OSError):
            self.conn.send(task)


def run_pool(
    tasks: list[Task],
    *,
    jobs: int,
    grade: Callable,
    on_result: Callable[[dict], None],
    on_death: Callable[[str], None],
    progress: bool,
    task_seconds: float | None = None,
) -> None:
    """Grade `tasks` in `jobs` processes; `grade(feed, send)` runs in each worker.

    `on_result` gets each result (a dict with a "student" key) in the parent. When a worker
    dies, or holds one task longer than `task_seconds`, each submission it held is graded again
    alone; one that fails twice goes to `on_death`.
    """
    ctx = mp.get_context("fork")
    todo, pending = deque(tasks), len(tasks)
    workers: list[_Worker] = []
    failures: dict[Task, int] = {}
    idle_deaths = 0
    bar = tqdm(total=pending, unit="submission", disable=not progress)
    try:
        while pending:
            for w in [w for w in workers if w.overdue(task_seconds)]:
                w.kill()
            for w in [w for w in workers if w.dead()]:
                workers.remove(w)
                if not w.held and not w.stopped and not w.graded:
                    idle_deaths += 1
                    if idle_deaths > MAX_IDLE_DEATHS:
                        raise RuntimeError("Grading workers keep dying before grading anything.")
                for task in w.held:
                    failures[task] = failures.get(task, 0) + 1
                    if failures[task] < 2:
                        workers.append(_Worker(ctx, grade, solo=task))
                        continue
                    on_death(task[1])
                    pending -= 1
                    bar.update()
            while todo and sum(w.solo is None and not w.stopped for w in workers) < jobs:
                workers.append(_Worker(ctx, grade))
            ready = wait([w.conn for w in workers if not w.closed], timeout=0.5)
            for w in workers:
                if w.conn not in ready:
                    continue
                try:
                    kind, payload = w.conn.recv()
                except (EOFError, OSError):
                    w.closed = True
                    w.process.join(timeout=5)
                    continue
                if kind == "next":
                    source = w.solo if w.solo is not None else todo
                    w.hand(source.popleft() if source else None)
                else:
                    w.held = [t for t in w.held if t[1] != payload["student"]]
                    w.since, w.graded = time.monotonic(), w.graded + 1
                    on_result(payload)
                    pending -= 1
                    bar.update()
    finally:
        bar.close()
        for w in workers:
            if not w.closed and w.process.is_alive() and not w.held:
                with contextlib.suppress(OSError):
                    w.conn.send(None)
            w.process.join(timeout=0 if w.held else 10)
            w.kill()
