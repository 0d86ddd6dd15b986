"""Pairs of submissions whose graded code is suspiciously alike, found with copydetect.

Each submission is compared as the loader keeps it (imports, functions and constants: no
experiments, prints or outputs), with the student notebook's starter code as boilerplate, so the
signatures and docstrings everyone was given do not count. copydetect replaces names by
placeholders and compares sets of winnowed k-gram fingerprints, so renamed variables and
reordered functions do not hide a copy. A flagged pair is a reason to look, not a verdict.
"""

from __future__ import annotations

import ast
import csv
import functools
import io
import itertools
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from autograder import assignments
from autograder.course.columns import safe_cell
from autograder.problems import NotGradable
from autograder.sandbox.load import load_submission

# Chosen on tests/corpus/alternatives with a disguised copy of each (tests/test_similarity.py):
# copies share >= 0.90 of their code, independent right answers <= 0.61.
K = 30  # characters of filtered code per fingerprint (copydetect's noise threshold)
# Every k-gram is kept (no winnowing): copydetect hashes with Python's per-process salted
# hash(), and winnowing's choice of fingerprints, so the shares, would change from run to run.
WINDOW = 1
THRESHOLD = 0.75  # flagged when this share of EACH submission's code is found in the other
MIN_FINGERPRINTS = 5  # below this, too little own code to compare (a stub, an empty notebook)
INSTALL = "pip install 'nnkit[similarity]'"
PAIRS_PER_PROCESS = 2000  # below this many pairs each, another process costs more than it saves


@dataclass(frozen=True)
class Pair:
    """Two submissions and how much of each one's code is found in the other."""

    a: str
    b: str
    share_a: float
    share_b: float
    shared_tokens: int


@dataclass
class Similarity:
    """The flagged pairs, how many submissions were compared, or why nothing was."""

    pairs: list[Pair] = field(default_factory=list)
    compared: int = 0
    skipped: str = ""  # why the pass did not run ("" when it did)
    seconds: float = 0.0


def starter_code(assignment_id: str) -> str:
    """The student notebook's code as the loader keeps it (what every submission starts from)."""
    import nbformat

    from autograder.author.generate import student_notebook
    from autograder.author.master import load_master
    from autograder.author.sync import master_path

    assignment = assignments.get(assignment_id)
    path = master_path(assignment)
    if not path.exists():
        return ""
    with tempfile.TemporaryDirectory() as folder:
        notebook = Path(folder) / "starter.ipynb"
        nbformat.write(student_notebook(assignment, load_master(path)), notebook)
        return graded_code(notebook)


def graded_code(path: Path) -> str:
    """What the grader runs of a submission: its kept imports, definitions and constants."""
    try:
        return "\n\n".join(chunk["source"] for chunk in load_submission(path).chunks)
    except NotGradable:
        return ""


def canonical(code: str) -> str:
    """The code as Python reads it, written one way: no comments, docstrings or extra
    parentheses, one layout, every variable named alike, so reformatting or renaming a copy
    does not hide it (kept as is if it does not parse)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return code
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            node.body = body[1:] or [ast.Pass()]  # a docstring (or a lone constant)
        if isinstance(node, ast.Name):
            node.id = "v"  # every name alike, self and cls too (copydetect keeps those)
        elif isinstance(node, ast.arg):
            node.arg = "v"
    try:
        return ast.unparse(tree)
    except (ValueError, RecursionError):
        return code


def find_similar(files: dict[str, Path], *, assignment: str, jobs: int = 1) -> Similarity:
    """Compare every pair of `files` ({student: submission file}), on up to `jobs` processes;
    flagged pairs, most alike first. Without copydetect installed, nothing is compared and
    `skipped` says so."""
    try:
        import numpy as np
        from copydetect import CodeFingerprint
    except ImportError:
        return Similarity(skipped=f"copydetect is not installed ({INSTALL})")
    if len(files) < 2:  # no pair: the starter code need not be built and fingerprinted
        return Similarity(compared=len(files))
    start = time.monotonic()

    def fingerprint(text: str, boilerplate=None):
        return CodeFingerprint("code.py", K, WINDOW, boilerplate=boilerplate,
                               language="python", fp=io.StringIO(text))  # fmt: skip

    starter = canonical(starter_code(assignment))
    boilerplate = np.array(sorted(fingerprint(starter).hashes), dtype=np.int64) if starter else None
    once = functools.cache(canonical)  # copies of one code are rewritten once
    codes = {student: once(graded_code(path)) for student, path in sorted(files.items())}
    prints = {}  # one fingerprint per distinct code: copies of one file are fingerprinted once
    for code in dict.fromkeys(codes.values()):
        found = fingerprint(code, boilerplate) if code.strip() else None
        if found is not None and len(found.hashes) >= MIN_FINGERPRINTS:
            prints[code] = found
    index = {code: i for i, code in enumerate(prints)}
    flagged = _flagged_codes(list(prints.values()), jobs)
    students = [s for s in sorted(codes) if codes[s] in prints]
    pairs = []
    for a, b in itertools.combinations(students, 2):
        i, j = index[codes[a]], index[codes[b]]
        if (min(i, j), max(i, j)) in flagged:
            found = flagged[min(i, j), max(i, j)]  # (tokens, share) of the lower, then the higher
            (tokens, share_a), (_, share_b) = found if i <= j else found[::-1]
            pairs.append(Pair(a, b, round(share_a, 3), round(share_b, 3), tokens))
    pairs.sort(key=lambda p: (-min(p.share_a, p.share_b), p.a, p.b))
    return Similarity(pairs, len(students), "", time.monotonic() - start)


def _flagged_codes(prints: list, jobs: int) -> dict[tuple[int, int], tuple[tuple, tuple]]:
    """{(i, j): ((tokens of i found in j, share of i), (the same for j))} for the flagged pairs
    i <= j of distinct codes, the rows dealt out to `jobs` processes when there are enough pairs
    to pay for them."""
    n = len(prints)
    jobs = max(1, min(jobs, n * (n + 1) // 2 // PAIRS_PER_PROCESS))
    if jobs == 1:
        return _flagged_rows(prints, 0, 1)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = pool.map(_flagged_rows, [prints] * jobs, range(jobs), [jobs] * jobs)
        return {pair: found for part in parts for pair, found in part.items()}


def _flagged_rows(prints: list, first: int, step: int) -> dict:
    """_flagged_codes for the rows first, first + step, ... (a stride evens out the triangle)."""
    from copydetect import compare_files

    found = {}
    for i in range(first, len(prints), step):
        for j in range(i, len(prints)):
            if prints[i].hashes & prints[j].hashes:
                tokens, (share_i, share_j), _ = compare_files(prints[i], prints[j])
                if min(share_i, share_j) >= THRESHOLD:
                    tokens_j = round(share_j * prints[j].token_coverage)
                    found[i, j] = ((int(tokens), float(share_i)), (tokens_j, float(share_j)))
    return found


def similarity_csv(result: Similarity, sources: dict[str, str]) -> str:
    """DIR/similarity.csv: one row per flagged pair."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_a", "student_b", "share_a", "share_b", "shared_tokens",
                     "source_a", "source_b"])  # fmt: skip
    for p in result.pairs:
        writer.writerow([safe_cell(p.a), safe_cell(p.b), f"{p.share_a:.2f}", f"{p.share_b:.2f}",
                         p.shared_tokens, safe_cell(sources.get(p.a, "")),
                         safe_cell(sources.get(p.b, ""))])  # fmt: skip
    return buffer.getvalue()
