"""Read a submission (.ipynb or .py) and keep only what grading needs: imports and definitions.

Top-level experiments, prints, plots and training runs are not run by the grader, so a cell that
loops forever or eats memory cannot cost the points of functions that are defined correctly.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import resource
import select
import signal
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

from autograder.author.nnkit_earlier import keeps  # the one rule: shipped to students too
from autograder.model import Program
from autograder.problems import NotGradable

MAX_BYTES = 20 * 2**20
KEPT_CELL_MAGICS = ("%%time", "%%timeit", "%%capture")
HELP_SYNTAX = re.compile(r"^(\?{1,2}[\w.]+|[\w.]+\?{1,2})$")  # IPython's `np.sum?`, `??sigmoid`
LINE_BREAK = re.compile(r"\r\n|\r|\n")
PARSE_MEMORY = 512 * 2**20  # address space parsing one submission may add, in a child process
PARSE_SECONDS = 20.0
IN_PROCESS_CHARS = 200_000  # smaller sources parse here: at most ~0.1 GB, and no fork (~15 ms)
TOO_COMPLEX = (
    "{name} is too large or too complex to read: parsing it needed more than "
    f"{PARSE_MEMORY // 2**20} MiB or {PARSE_SECONDS:g} s. Submit the code without generated parts."
)


def _open_file(path: Path):
    """Open `path` for reading, never through a symbolic link (O_NOFOLLOW); raises NotGradable."""
    try:
        return os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb")
    except OSError as e:
        if path.is_symlink():
            raise NotGradable(f"{path.name} is a symbolic link; submit the file itself.") from None
        raise NotGradable(f"The file {path.name} could not be read ({e.strerror}).") from None


def file_digest(path: Path) -> str:
    """The file's SHA-256, read in blocks; for a file over the size limit, its size and time."""
    stat = path.stat()
    if stat.st_size > MAX_BYTES:
        return f"oversized:{stat.st_size}:{stat.st_mtime_ns}"
    digest = hashlib.sha256()
    with _open_file(path) as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def load_submission(path: Path) -> Program:
    """Turn a submission file into the chunks the sandbox loads; raises NotGradable."""
    sources = read_sources(path)
    if sum(len(s or "") for s in sources) <= IN_PROCESS_CHARS:
        return _program_or_unreadable(sources, path.name)
    try:
        chunks, notes = in_child(_plain_program, sources)
    except NotGradable as e:
        raise NotGradable(e.message.format(name=path.name)) from None
    except Exception as e:  # content no notebook should have; its own row, never a crash
        raise NotGradable(f"{path.name} could not be read ({type(e).__name__}).") from None
    return Program(chunks, notes)


def _program_or_unreadable(sources: list[str | None], name: str) -> Program:
    try:
        return _program(sources)
    except NotGradable:
        raise
    except Exception as e:  # content no notebook should have; its own row, never a crash
        raise NotGradable(f"{name} could not be read ({type(e).__name__}).") from None


def _plain_program(sources: list[str | None]) -> tuple[list[dict], list[str]]:
    program = _program(sources)
    return program.chunks, program.notes


def in_child(fn: Callable[..., object], *args: object) -> object:
    """`fn(*args)` in a forked child under a memory and time budget; its result is JSON data.

    A hostile file cannot make the grader's own process parse it unbounded (ast.parse of one
    huge expression takes about 0.5 GB per MB). Raises NotGradable (with `{name}` to fill in)
    for a child over budget; the child's NotGradable comes back as it was.
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        _child(write_fd, read_fd, fn, args)
    os.close(write_fd)
    data = None
    try:
        data = _read_all(read_fd, time.monotonic() + PARSE_SECONDS)
    finally:
        os.close(read_fd)
        if data is None:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    try:
        answer = json.loads(data) if data else {}
    except ValueError:
        answer = {}
    if "value" in answer:
        return answer["value"]
    if "unreadable" in answer:
        raise NotGradable(answer["unreadable"].replace("{", "{{").replace("}", "}}"))
    raise NotGradable(TOO_COMPLEX)


def _child(write_fd: int, read_fd: int, fn: Callable[..., object], args: tuple) -> None:
    """Run in the forked child: set the budget, compute, write one JSON answer, exit."""
    status = 1
    try:
        os.close(read_fd)
        with open("/proc/self/statm") as f:
            in_use = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = in_use + PARSE_MEMORY
        resource.setrlimit(resource.RLIMIT_AS, (cap if hard < 0 else min(cap, hard), hard))
        try:
            answer: dict = {"value": fn(*args)}
        except NotGradable as e:
            answer = {"unreadable": e.message}
        except MemoryError:
            answer = {}
        data = json.dumps(answer).encode()
        while data:
            data = data[os.write(write_fd, data) :]
        status = 0
    finally:
        os._exit(status)


def _read_all(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None at the deadline."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def read_sources(path: Path) -> list[str | None]:
    """The Python source of each code cell (the whole file for .py); None for a non-Python cell.

    Raises NotGradable for a file that is missing, empty, too large, binary or broken.
    """
    try:
        size = path.stat().st_size
    except OSError as e:
        raise NotGradable(f"The file {path.name} could not be read ({e.strerror}).") from None
    if size == 0:
        raise NotGradable(f"The file {path.name} is empty.")
    if size > MAX_BYTES:
        raise NotGradable(
            f"The file {path.name} is {size / 2**20:.0f} MiB; the limit is "
            f"{MAX_BYTES // 2**20} MiB. Clear the outputs and submit again."
        )
    with _open_file(path) as f:
        data = f.read(MAX_BYTES + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotGradable(f"{path.name} is not a text file.") from None
    if path.suffix != ".ipynb":
        return [text]
    return [_strip_magics(c) for c in _notebook_cells(text, path.name)]


def _notebook_cells(text: str, name: str) -> list[str]:
    try:  # parse and upgrade without schema validation, which costs ~0.1 s per notebook
        nb = nbformat.convert(nbformat.reader.reads(text), 4)
    except Exception:  # nbformat raises many kinds for broken JSON
        raise NotGradable(
            f"{name} is not a valid Jupyter notebook (its JSON is broken). "
            "Open it in Jupyter, save it, and submit again."
        ) from None
    sources = [c.get("source") for c in nb.cells if c.get("cell_type") == "code"]
    return ["".join(s) if isinstance(s, list) else s if isinstance(s, str) else "" for s in sources]


def _lines(source: str) -> list[str]:
    """Split as Python does (only at \\n, \\r\\n and \\r), unlike str.splitlines."""
    return LINE_BREAK.split(source)


def _strip_magics(source: str) -> str | None:
    """IPython syntax to plain Python: line magics and shell lines become `pass`."""
    lines = _lines(source)
    if lines and lines[0].lstrip().startswith("%%"):
        if not lines[0].lstrip().startswith(KEPT_CELL_MAGICS):
            return None
        lines = ["", *lines[1:]]
    out = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")) or HELP_SYNTAX.match(stripped):
            line = line[: len(line) - len(stripped)] + "pass"
        out.append(line)
    return "\n".join(out)


def _program(cells: list[str | None]) -> Program:
    """Chunks from the cells' Python sources (None for a cell that is not Python)."""
    chunks, notes, dropped = [], [], 0
    for number, source in enumerate(cells, start=1):
        if source is None:
            continue
        try:
            tree = ast.parse(source)
        except (RecursionError, MemoryError):
            notes.append(
                f"Code cell {number} is too large or too deeply nested to read, so nothing in "
                "it was graded."
            )
            continue
        except (SyntaxError, ValueError) as e:
            line = getattr(e, "lineno", None)
            where = f" at line {line}" if line else ""
            notes.append(
                f"Code cell {number} has a syntax error{where}, so nothing in it was "
                f"graded: {getattr(e, 'msg', type(e).__name__)}."
            )
            continue
        lines = _lines(source)
        for stmt in tree.body:
            if not keeps(stmt):
                dropped += 1
                continue
            first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
            text = "\n".join(lines[first - 1 : stmt.end_lineno])
            chunks.append({"cell": f"cell {number}", "line": first, "source": text})
    if dropped:
        notes.append(
            f"The grader loads imports, functions and simple constants only; "
            f"{dropped} other top-level statements (experiments, prints, plots) "
            "were not run."
        )
    if not chunks:
        raise NotGradable(
            " ".join(
                [
                    "No function definitions were found in the submission.",
                    *(n for n in notes if "syntax error" in n or "too large" in n),
                ]
            )
        )
    return Program(chunks, notes)
