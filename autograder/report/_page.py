"""Shared pieces of the HTML reports: escaping, number formats, the page shell and its CSS.

Every page is one self-contained file: inline CSS, images as data URIs, no scripts, and a
Content-Security-Policy that forbids scripts and any request, so a page stays inert even if a
student-controlled string ever slipped through unescaped.
"""

from __future__ import annotations

import html

MAX_TEXT = 4000  # characters of one message shown; a student's exception text can be huge

KIND_LABELS = {
    "wrong": "Wrong result",
    "missing": "Function not found",
    "error": "Your code raised an error",
    "timeout": "Took too long",
    "crashed": "Crashed",
    "unreadable": "File could not be read",
    "grader_error": "Grader problem (not your fault)",
    "grader error": "Grader problem (not your fault)",
    "wrong assignment": "Notebook of another assignment",
    "not submitted": "Nothing submitted",
}

CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)

CSS = """
:root {
  --ok: #1b7f3b; --ok-bg: #e8f5ec; --bad: #c0392b; --bad-bg: #fdecea;
  --part: #b26a00; --part-bg: #fff4e0; --ink: #1f2328; --muted: #5b6470;
  --line: #d8dee4; --card: #ffffff; --page: #f4f6f8; --hint-bg: #fff8c5; --hint-line: #d4a72c;
  --info-bg: #eaf2fd; --info-line: #4a86d8;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--page); color: var(--ink);
  font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Helvetica, Arial,
    sans-serif;
}
main { max-width: 960px; margin: 0 auto; padding: 28px 20px 60px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 34px 0 12px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 0; }
a { color: #0b5cad; }
.sub { color: var(--muted); margin: 0 0 18px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 16px 18px;
  margin: 12px 0; }
.hero { display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
.score { font-size: 2.6rem; font-weight: 700; line-height: 1.1; }
.score small { font-size: 1.1rem; font-weight: 400; color: var(--muted); }
.bar { height: 14px; background: #e4e8ec; border-radius: 7px; overflow: hidden;
  min-width: 240px; flex: 1; }
.bar > span { display: block; height: 100%; border-radius: 7px; }
.ok-fill { background: var(--ok); } .part-fill { background: #e09b2d;
  } .bad-fill { background: var(--bad); }
.pill { display: inline-block; padding: 1px 10px; border-radius: 999px; font-size: 0.85rem;
  font-weight: 600;
  white-space: nowrap; }
.pill.ok { background: var(--ok-bg); color: var(--ok); }
.pill.bad { background: var(--bad-bg); color: var(--bad); }
.pill.part { background: var(--part-bg); color: var(--part); }
.pill.muted { background: #eef1f4; color: var(--muted); }
table { border-collapse: collapse; width: 100%; background: var(--card);
  border: 1px solid var(--line);
  border-radius: 10px; overflow: hidden; }
th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #eef1f4; font-size: 0.9rem; }
tr:last-child td { border-bottom: none; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.test { border-left: 6px solid var(--line); }
.test.ok { border-left-color: var(--ok); }
.test.bad { border-left-color: var(--bad); }
.test-head { display: flex; gap: 12px; align-items: baseline; flex-wrap: wrap; }
.test-head .name { flex: 1; font-weight: 600; min-width: 200px; }
.icon { font-weight: 700; font-size: 1.1rem; width: 1.2em; display: inline-block; }
.icon.ok { color: var(--ok); } .icon.bad { color: var(--bad); }
.msg { white-space: pre-wrap; overflow-wrap: anywhere; margin: 10px 0 0;
  font: 0.92rem/1.5 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f6f8fa;
  border-radius: 6px; padding: 8px 10px; }
.hint { margin: 10px 0 0; padding: 10px 12px; border-radius: 6px; background: var(--info-bg);
  border-left: 4px solid var(--info-line); }
.hint.diagnosis { background: var(--hint-bg); border-left-color: var(--hint-line); }
.hint strong { display: block; font-size: 0.85rem; text-transform: uppercase;
  letter-spacing: 0.03em; }
.notes { background: var(--info-bg); border-left: 5px solid var(--info-line); }
.alert { background: var(--bad-bg); border-left: 5px solid var(--bad); }
.notes ul, .alert ul { margin: 6px 0 0; padding-left: 22px; }
.plot { margin-top: 10px; }
.plot img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 6px;
  background: #fff; }
.fn-head { display: flex; gap: 12px; align-items: center; margin: 30px 0 6px; }
.fn-head h3 { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 1.15rem; }
.muted { color: var(--muted); }
.legend { font-size: 0.9rem; color: var(--muted); }
.charts { display: flex; gap: 16px; flex-wrap: wrap; }
.charts .card { flex: 1; min-width: 300px; margin: 0; }
.charts img { width: 100%; height: auto; }
td.barcell { width: 150px; min-width: 120px; }
td.barcell .bar { min-width: 0; margin-top: 6px; }
.stats { display: flex; gap: 14px; flex-wrap: wrap; margin: 16px 0; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 10px 16px;
  min-width: 130px; }
.stat b { display: block; font-size: 1.5rem; }
.stat span { color: var(--muted); font-size: 0.9rem; }
ul.passed { list-style: none; margin: 0; padding: 0; }
ul.passed li { display: flex; gap: 12px; align-items: baseline; padding: 3px 0; }
ul.passed li + li { border-top: 1px solid #eef1f4; }
ul.passed .name { flex: 1; }
details { margin-top: 18px; }
details summary { cursor: pointer; color: var(--muted); }
.answers td { white-space: pre-wrap; overflow-wrap: anywhere; max-width: 480px; }
.scroll { overflow-x: auto; }
td a { overflow-wrap: anywhere; }  /* long student ids wrap inside their cell */
table.mistakes td.mistake { min-width: 13em; }
table.mistakes td.who { min-width: 10em; }
table.mistakes th.num { white-space: normal; }
footer { margin-top: 40px; color: var(--muted); font-size: 0.85rem; }
"""


def esc(text: object, limit: int = MAX_TEXT) -> str:
    """Any value as HTML text: shortened to `limit` characters, then escaped (quotes too)."""
    s = str(text)
    if len(s) > limit:
        s = s[:limit] + " … (shortened)"
    return html.escape(s, quote=True)


def points(x: float) -> str:
    """Points as a reader expects them: 3, 1.5, 0.33."""
    return f"{round(float(x), 2):g}"


def percent(score: float, max_score: float) -> float:
    return 100.0 * score / max_score if max_score else 0.0


def fill_class(fraction: float) -> str:
    """The colour of a progress bar: green when complete, amber when partial, red when nothing."""
    if fraction >= 0.999:
        return "ok-fill"
    return "part-fill" if fraction > 0 else "bad-fill"


def bar(fraction: float) -> str:
    width = max(0.0, min(1.0, fraction)) * 100
    fill = f'<span class="{fill_class(fraction)}" style="width:{width:.1f}%"></span>'
    return f'<div class="bar">{fill}</div>'


def title_of(assignment: str) -> str:
    """'logistic_regression' -> 'Logistic regression'."""
    words = assignment.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def page(title: str, body: str) -> str:
    """A complete HTML document around `body`; `title` is escaped here."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
