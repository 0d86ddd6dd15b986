"""Feedback pages and the class report, built from a small class graded by the real engine and
checked in a real headless Chromium: they load, show what they should, draw something, make no
request, reveal nothing hidden, and stay inert when a student's text contains markup."""

from __future__ import annotations

import contextlib
import copy
import fcntl
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import types
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as mpimg

from autograder import assignments
from autograder.api import grade
from autograder.config import GradeConfig, Limits
from autograder.model import Outcome, SubmissionResult
from autograder.report import write_class_report, write_feedback
from autograder.report._page import points
from autograder.report.feedback import feedback_html, split_hint
from autograder.suite.diagnose import mistake

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")

SOLUTION = Path(__file__).resolve().parent.parent / "solutions" / "logistic_regression.py"
INJECTED = "<script>document.title='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">"
SIGN_MISTAKE = "TEST CATALOGUE: the exponent has lost its minus sign."
SECRET = "SECRET-DEBUG-1f3a9: expected [0.731, 0.269]"
FUNCTIONS = (
    "sigmoid",
    "initialize_parameters",
    "forward",
    "cost",
    "gradients",
    "gradient_descent",
    "predict",
)
BROWSED = ("alice", "carol", "dave")  # feedback pages opened in Chromium; every page is checked
OK_RGB, BAD_RGB = (0x1B, 0x7F, 0x3B), (0xC0, 0x39, 0x2B)  # the pages' green and red


@mistake("sigmoid", SIGN_MISTAKE)
def _sigmoid_sign(z):
    return 1 / (1 + np.exp(z))


def _class(folder: Path) -> None:
    """Five students: full marks, a stub, wrong code that raises markup, a broken notebook, a
    loop that never ends."""
    folder.mkdir()
    solution = SOLUTION.read_text()
    (folder / "alice.py").write_text(solution)
    (folder / "bob.py").write_text(
        "".join(
            f"def {fn}(*args, **kwargs):\n    raise NotImplementedError\n\n" for fn in FUNCTIONS
        )
    )
    carol = solution + (  # later definitions replace the model answer's
        "\n\ndef sigmoid(z):\n    return 1 / (1 + np.exp(z))\n\n\n"
        "def gradients(X, y, y_hat):\n    return X.T @ (y_hat - y), float(np.sum(y_hat - y))\n\n\n"
        f"def cost(y_hat, y):\n    raise ValueError({INJECTED!r})\n\n\n"
        'print("trying things out")\n'
    )
    (folder / "carol.py").write_text(carol)
    (folder / "dave.ipynb").write_text('{"cells": [ this is not json')
    erin = solution + (
        "\n\ndef gradient_descent(X, y, learning_rate=0.1, max_iter=10_000, tol=1e-6):\n"
        "    while True:\n        pass\n"
    )
    (folder / "erin.py").write_text(erin)


@contextlib.contextmanager
def _shared(tmp_path_factory, name: str):
    """A folder for this run, locked: under xdist every worker gets the same one, so the class
    is graded and the browser run once, not once per worker."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        yield tmp_path_factory.mktemp(name)
        return
    folder = tmp_path_factory.getbasetemp().parent / name
    folder.mkdir(exist_ok=True)
    with open(folder.parent / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield folder


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[dict[str, SubmissionResult], Path, Path]:
    """Grade the class with the real engine; write every feedback page and the class report."""
    with _shared(tmp_path_factory, "reports") as root:
        out, report = root / "out", root / "out" / "report.html"
        first = not report.exists()
        if first:
            shutil.rmtree(root / "class", ignore_errors=True)
            _class(root / "class")
        real = assignments.Assignment("logistic_regression").mistakes
        catalogue = types.ModuleType("report_test_mistakes")
        catalogue.__dict__.update(vars(real) if real else {})
        catalogue.sigmoid_sign_for_reports = _sigmoid_sign  # a diagnosis, whatever ships
        config = GradeConfig(
            assignment="logistic_regression",
            out=out,
            jobs=2,
            progress=False,
            limits=Limits(call_seconds=2.0, submission_seconds=4.0),
        )
        with pytest.MonkeyPatch.context() as mp:  # forked workers inherit the patch
            mp.setattr(assignments.Assignment, "mistakes", property(lambda self: catalogue))
            classed = grade(config=config, paths=[root / "class"])  # or reuse records
        results = {r.student: r for r in classed.results}  # grade_class wrote the pages
        answers = root / "answers_q_neurons.csv"  # as autograder.report.answers writes
        answers.write_text(
            "student,answer\n"
            'alice,"One neuron draws a line, so <b>circle</b> needs more."\n'
            "bob,\n"
            f'carol,"{INJECTED.replace(chr(34), chr(34) * 2)} & more neurons"\n'
        )
        write_class_report(list(results.values()), out, answers=[answers])
    return results, out, report


def _chromium(url: str, *flags: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                *flags,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=90,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def browser(graded, tmp_path_factory) -> dict[str, tuple[str, Path]]:
    """The DOM of each page as Chromium built it, and a screenshot of each."""
    _, out, report = graded
    pages = {name: out / name / "feedback.html" for name in BROWSED}
    pages["report"] = report
    with _shared(tmp_path_factory, "browser") as shots:

        def load(name: str) -> None:
            png, dom = shots / f"{name}.png", shots / f"{name}.dom.html"
            if not dom.exists():  # one launch: the DOM on stdout, the screenshot to a file
                flags = ("--dump-dom", f"--screenshot={png}", "--window-size=1200,1600")
                dom.write_text(_chromium(pages[name].as_uri(), *flags))

        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(load, pages))
    return {n: ((shots / f"{n}.dom.html").read_text(), shots / f"{n}.png") for n in pages}


def _text(dom: str) -> str:
    """What a reader sees: tags removed, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", dom)).split())


# ------------------------------------------------------------------ in the browser


@needs_chromium
def test_feedback_pages_show_score_functions_and_hints(graded, browser):
    results, _, _ = graded
    for name in BROWSED:
        r, (dom, _) = results[name], browser[name]
        text = _text(dom)
        assert f"{points(r.score)} / {points(r.max_score)} points" in text, name
        for fn in FUNCTIONS:
            assert fn in text, (name, fn)
        for note in r.notes:
            assert " ".join(note.split()) in text, (name, note)
    carol = _text(browser["carol"][0])
    diagnoses = {o.diagnosis for o in results["carol"].outcomes if o.diagnosis}
    assert diagnoses, "the class should reproduce at least one catalogued mistake"
    for diagnosis in diagnoses:
        assert f"Likely mistake {diagnosis}".lower() in carol.lower()
    assert "top-level statements" in carol
    assert "Every test passed" in _text(browser["alice"][0])
    assert "could not read your file" in _text(browser["dave"][0])


@needs_chromium
def test_feedback_page_draws_the_students_curve(graded, browser):
    results, _, _ = graded
    plotted = [o for o in results["carol"].outcomes if o.plot and not o.passed and o.visible]
    assert plotted, "carol's wrong sigmoid should fail a public test with a plot"
    dom = browser["carol"][0]
    assert len(re.findall(r'<img src="data:image/png;base64,', dom)) == len(plotted)


@needs_chromium
def test_screenshots_are_not_blank_and_show_green_and_red(browser):
    for name, (_, png) in browser.items():
        pixels = mpimg.imread(png)[..., :3]
        assert pixels.shape[:2] == (1600, 1200), name
        assert pixels.std() > 0.05, f"{name}: the screenshot looks blank"
        background = np.all(np.abs(pixels - pixels[5, 5]) < 0.02, axis=-1)
        assert background.mean() < 0.95, f"{name}: the screenshot is nearly all background"
    rgb = np.round(mpimg.imread(browser["carol"][1])[..., :3] * 255)
    for colour in (OK_RGB, BAD_RGB):
        assert np.all(np.abs(rgb - colour) <= 3, axis=-1).sum() > 50, colour


@needs_chromium
def test_student_markup_stays_text(browser):
    for name in ("carol", "report"):
        dom = browser[name][0]
        title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
        assert "PWNED" not in title, name
        assert "<script" not in dom.lower(), name
        assert not re.search(r"<[a-z][^>]*\sonerror\s*=", dom, re.I), name  # text, not an element
        assert "&lt;script&gt;document.title" in dom, name
    assert "<b>circle</b>" not in browser["report"][0]
    assert "&lt;b&gt;circle&lt;/b&gt;" in browser["report"][0]


@needs_chromium
def test_class_report_in_browser(graded, browser):
    results, _, _ = graded
    dom, _ = browser["report"]
    text = _text(dom)
    for fn in FUNCTIONS:
        assert fn in text
    for r in results.values():
        assert f'href="{r.student}/feedback.html"' in dom
    for section in (
        "Scores and pass rates",
        "Most common diagnosed mistakes",
        "Failure kinds",
        "Slowest submissions",
        "Timed out",
        "Free-text answers",
    ):
        assert section in text or section in dom, section
    assert SIGN_MISTAKE in text or any(
        o.diagnosis in text for r in results.values() for o in r.outcomes if o.diagnosis
    )
    assert len(re.findall(r'<img src="data:image/png;base64,', dom)) == 2


LAYOUT_PROBE = """<script>
const main = document.querySelector("main").getBoundingClientRect();
const wide = [...document.querySelectorAll("table")].filter(
  t => t.getBoundingClientRect().right > main.right + 1 && !t.closest(".scroll"));
const cells = [...document.querySelectorAll("table.mistakes td.mistake, table.mistakes td.who")];
const narrow = cells.filter(c => c.getBoundingClientRect().width < 150);
document.body.insertAdjacentHTML("beforeend", `<pre id="layout">${JSON.stringify({
  page: document.documentElement.scrollWidth, viewport: innerWidth, cells: cells.length,
  wide: wide.length, narrow: narrow.map(c => c.textContent.slice(0, 40))})}</pre>`);
</script>"""


def _long_named_class() -> list[SubmissionResult]:
    """Long student ids and long mistakes: what made the mistakes table overflow its card."""
    results = []
    for i in range(8):
        student = f"{i:02d}_mistake_gradient_descent__gradient_descent_ignores_tol_and_more"
        outcomes = [
            Outcome(f"{fn}: a test", fn, 1.0, 0.0, False, "Wrong.", True, "wrong",
                    diagnosis=f"{fn} ignores tol: stop as soon as abs(costs[-2] - costs[-1]) "
                    "< tol, as the lecture's stopping rule says, not after max_iter updates.")
            for fn in FUNCTIONS[:4]
        ]  # fmt: skip
        results.append(SubmissionResult(student, "logistic_regression", outcomes))
    return results


@needs_chromium
@pytest.mark.parametrize("width", [1280, 800])
def test_class_report_lays_out_at_common_widths(tmp_path, width):
    report = write_class_report(_long_named_class(), tmp_path)
    probe = tmp_path / "probe.html"  # the page without its CSP, which forbids the probe script
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", report.read_text())
    probe.write_text(text.replace("</body>", LAYOUT_PROBE + "</body>"))
    dom = _chromium(probe.as_uri(), "--dump-dom", f"--window-size={width},2000")
    written = re.findall(r'<pre id="layout">(\{.*?)</pre>', dom, re.S)  # not the script's text
    found = json.loads(html.unescape(written[-1]))
    assert found["cells"] == 2 * 4, found  # the probe ran and saw the mistakes table
    assert found["page"] <= found["viewport"], f"the page scrolls sideways: {found}"
    assert found["wide"] == 0, f"a table is wider than the page's column: {found}"
    assert not found["narrow"], f"cells squeezed to a word a line: {found}"


# ------------------------------------------------------------------ in the files


def test_pages_are_self_contained(graded):
    results, out, report = graded
    for path in [report, *(out / s / "feedback.html" for s in results)]:
        page = path.read_text()
        assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page), path
        assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page), path
        assert "<script" not in page.lower(), path
        assert "Content-Security-Policy" in page and "default-src 'none'" in page
        for href in re.findall(r'href="([^"#][^"]*)"', page):
            assert (path.parent / html.unescape(href)).exists(), (path, href)
        for anchor in re.findall(r'href="#([^"]+)"', page):
            assert f'id="{anchor}"' in page, (path, anchor)


def test_every_student_gets_a_page_and_the_report_links_them(graded):
    results, out, report = graded
    assert set(results) == {"alice", "bob", "carol", "dave", "erin"}
    assert results["alice"].score == results["alice"].max_score
    assert results["dave"].status == "unreadable"
    assert any(o.kind == "timeout" for o in results["erin"].outcomes)
    assert "Took too long" in (out / "erin" / "feedback.html").read_text()
    page = report.read_text()
    for student in results:
        assert (out / student / "feedback.html").exists()
        assert f'href="{student}/feedback.html"' in page


def test_feedback_never_shows_debug_or_hidden_curves(graded):
    results, _, _ = graded
    r = copy.deepcopy(results["carol"])
    curve = {"title": "hidden curve", "x": [0.1, 0.2], "expected": [0.3, 0.4], "got": [5, 6]}
    for o in r.outcomes:
        o.debug = SECRET
        if not o.visible:
            o.plot = curve
    page = feedback_html(r)
    assert "SECRET-DEBUG" not in page and "1f3a9" not in page
    assert "hidden curve" not in page
    shown = sum(1 for o in r.outcomes if o.visible and o.plot and not o.passed)
    assert page.count("data:image/png;base64,") == shown
    # hidden tests: name, verdict and the (engine-sanitised) message; no more
    for o in r.outcomes:
        if not o.visible:
            assert html.escape(o.name.split(": ", 1)[1]) in page


def test_feedback_escapes_everything_student_controlled():
    evil = '<img src="http://example.com/x.png">"\'&'
    r = SubmissionResult(
        student="mallory<b>",
        assignment="logistic_regression",
        outcomes=[
            Outcome(f"sigmoid: {evil}", "sigmoid", 1.0, 0.0, False, evil + "\nHint: " + evil, True)
        ],
        notes=[evil],
    )
    page = feedback_html(r)
    assert '<img src="http' not in page and "<b>" not in page
    assert "&lt;img src=&quot;http://example.com/x.png&quot;&gt;" in page


def test_split_hint_separates_the_diagnosis():
    assert split_hint("Wrong.\nHint: Divide by n.", "Divide by n.") == (
        "Wrong.",
        "Divide by n.",
        "",
    )
    assert split_hint("Wrong.\nHint: Use ravel.", "") == ("Wrong.", "", "Use ravel.")
    assert split_hint("Wrong.", "") == ("Wrong.", "", "")


def test_empty_class_report(tmp_path):
    path = write_class_report([], tmp_path)
    assert "No submissions were graded" in path.read_text()


def test_pages_for_a_dead_worker_row(tmp_path):
    """A submission whose worker died has no outcomes at all; both pages still work."""
    dead = SubmissionResult(
        "zoe", "logistic_regression", [], status="grader error", notes=["The worker died."]
    )
    page = write_feedback(dead, tmp_path).read_text()
    assert "not your fault" in page and "The worker died." in page
    report = write_class_report([dead], tmp_path).read_text()
    assert 'href="zoe/feedback.html"' in report and "grader error" in report
