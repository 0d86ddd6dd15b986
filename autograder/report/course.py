"""The course's parts of the pages: manual scores and late penalty on a feedback page, and the
class report's manual-grading and similarity sections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from autograder.course.book import CourseMarks
from autograder.report._page import esc, points


def feedback_card(marks: CourseMarks) -> str:
    """The feedback page's card: each manually graded answer, the late penalty, the total."""
    rows = []
    for question, given, most, comment in marks.manual:
        shown = f"{points(given)} / {points(most)}" if given is not None else "not graded yet"
        rows.append(
            f"<tr><td><code>{esc(question)}</code></td><td class='num'>{esc(shown)}</td>"
            f"<td>{esc(comment) or '—'}</td></tr>"
        )
    parts = ['<div class="card notes"><strong>Graded by your instructor</strong>']
    if rows:
        parts.append(
            '<div class="scroll"><table><tr><th>Question</th><th class="num">Points</th>'
            "<th>Comment</th></tr>" + "".join(rows) + "</table></div>"
        )
    if marks.penalty:
        parts.append(
            f"<p>Submitted {esc(marks.lateness)} after the deadline: "
            f"{points(marks.penalty)} points deducted.</p>"
        )
    parts.append(
        f"<p><strong>Total: {points(marks.final)} / {points(marks.final_max)} points</strong></p>"
        "</div>"
    )
    return "".join(parts)


def _link(student: str) -> str:
    return f'<a href="{esc(quote(student))}/feedback.html">{esc(student)}</a>'


def course_section(marks: Mapping[str, CourseMarks], questions: Sequence[str]) -> str:
    """The class report's manual scores (per question, then per student) and late penalties."""
    if not marks:
        return ""
    parts = ["<h2>Manual grading and late penalties</h2>"]
    if questions:
        rows = []
        for i, q in enumerate(questions):
            given = [m.manual[i][1] for m in marks.values() if len(m.manual) > i]
            scored = [g for g in given if g is not None]
            most = next((m.manual[i][2] for m in marks.values() if len(m.manual) > i), 0.0)
            mean = f"{points(sum(scored) / len(scored))}" if scored else "—"
            rows.append(
                f"<tr><td><code>{esc(q)}</code></td><td class='num'>{points(most)}</td>"
                f"<td class='num'>{len(scored)} of {len(given)}</td>"
                f"<td class='num'>{mean}</td></tr>"
            )
        parts.append(
            '<p class="muted">Scores come from the <code>score</code> column of each '
            "<code>answers_&lt;question&gt;.csv</code>; they are added to the gradebook's "
            "<code>raw_score</code> and <code>final_score</code>.</p>"
            '<div class="scroll"><table><tr><th>Question</th><th class="num">Points</th>'
            '<th class="num">Graded</th><th class="num">Mean</th></tr>'
            + "".join(rows)
            + "</table></div>"
        )
    rows = []
    for student, m in sorted(marks.items()):
        manual = sum(g for _, g, _, _ in m.manual if g is not None)
        rows.append(
            f"<tr><td>{_link(student)}</td><td class='num'>{points(manual)}</td>"
            f"<td>{esc(m.lateness) or '—'}</td><td class='num'>{points(m.penalty)}</td>"
            f"<td class='num'>{points(m.final)} / {points(m.final_max)}</td></tr>"
        )
    parts.append(
        '<div class="scroll"><table><tr><th>Student</th><th class="num">Manual points</th>'
        '<th>Late by</th><th class="num">Penalty</th><th class="num">Final score</th></tr>'
        + "".join(rows)
        + "</table></div>"
    )
    return "".join(parts)


def similarity_section(
    pairs: Sequence[tuple[str, str, float, float]], *, compared: int, skipped: str
) -> str:
    """The class report's list of suspiciously alike pairs, with what such a list means."""
    head = (
        "<h2>Similar code</h2>"
        '<p class="muted">Pairs whose graded code (functions, imports and constants, without the '
        "starter code) is largely the same, even with renamed variables or reordered functions. "
        "Similarity is a reason to look at the two submissions side by side, not a verdict: "
        "short exercises have few ways to be written. The list is also in "
        "<code>similarity.csv</code>.</p>"
    )
    if skipped:
        return head + f'<p class="muted">The similarity check was skipped: {esc(skipped)}.</p>'
    if not pairs:
        return head + f'<p class="muted">No pair stood out among {compared} submissions.</p>'
    rows = "".join(
        f"<tr><td>{_link(a)}</td><td>{_link(b)}</td>"
        f"<td class='num'>{share_a:.0%}</td><td class='num'>{share_b:.0%}</td></tr>"
        for a, b, share_a, share_b in pairs
    )
    return (
        head + f'<p class="muted">{len(pairs)} pairs among {compared} submissions.</p>'
        '<div class="scroll"><table><tr><th>Student</th><th>Student</th>'
        '<th class="num">Share of the first found in the second</th>'
        '<th class="num">Share of the second found in the first</th></tr>' + rows + "</table></div>"
    )
