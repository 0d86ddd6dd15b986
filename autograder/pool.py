"""Worker processes that grade submissions, each talking to the parent over its own pipe.

The parent hands out one task at a time and knows what each worker holds, so a worker that dies
costs only the submission that killed it: what it held is graded again, each alone, and a
submission that kills a worker twice gets a row saying so.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from pathlib import Path

from tqdm import tqdm

Task = tuple[str, str]  # (file, student id)
MAX_IDLE_DEATHS = 3  # workers that die holding nothing: the grader itself is broken


def _serve(conn: Connection, grade: Callable) -> None:
    """In a worker: ask for tasks, grade them, send results back, until told to stop."""

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
        self.solo = deque([solo]) if solo else None  # a retry, graded alone
        self.closed = False

    def dead(self) -> bool:
        """Gone, with nothing left to read from it."""
        return not self.process.is_alive() and (self.closed or not self.conn.poll())


def run_pool(
    tasks: list[Task],
    *,
    jobs: int,
    grade: Callable,
    on_result: Callable[[dict], None],
    on_death: Callable[[str], None],
    progress: bool,
) -> None:
    """Grade `tasks` in `jobs` processes; `grade(feed, send)` runs in each worker.

    `on_result` gets each result (a dict with a "student" key) in the parent. When a worker
    dies, each submission it held is graded again alone; one that dies twice goes to `on_death`.
    """
    ctx = mp.get_context("fork")
    todo, pending = deque(tasks), len(tasks)
    workers = [_Worker(ctx, grade) for _ in range(max(1, min(jobs, len(tasks))))]
    deaths: dict[Task, int] = {}
    idle_deaths = 0
    bar = tqdm(total=pending, unit="submission", disable=not progress)
    while pending:
        for w in [w for w in workers if w.dead()]:
            workers.remove(w)
            idle_deaths += not w.held
            if idle_deaths > MAX_IDLE_DEATHS:
                raise RuntimeError("Grading workers keep dying before grading anything.")
            for task in w.held:
                deaths[task] = deaths.get(task, 0) + 1
                if deaths[task] < 2:
                    workers.append(_Worker(ctx, grade, solo=task))
                    continue
                on_death(task[1])
                pending -= 1
                bar.update()
        while todo and sum(w.solo is None for w in workers) < jobs:
            workers.append(_Worker(ctx, grade))
        ready = wait([w.conn for w in workers], timeout=0.5)
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
                task = source.popleft() if source else None
                if task:
                    w.held.append(task)  # if the send fails, the death handling retries it
                with contextlib.suppress(OSError):
                    w.conn.send(task)
            else:
                w.held = [t for t in w.held if t[1] != payload["student"]]
                on_result(payload)
                pending -= 1
                bar.update()
    bar.close()
    for w in workers:
        if not w.closed and w.process.is_alive():
            with contextlib.suppress(OSError):
                w.conn.send(None)
        w.process.join(timeout=10)
        if w.process.is_alive():
            w.process.kill()
