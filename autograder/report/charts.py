"""Small PNG charts for the reports, rendered by Agg and embedded as data URIs.

Figures use matplotlib's object API (no pyplot), so nothing here touches a global backend.
"""

from __future__ import annotations

import base64
import io
import math

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

EXPECTED = "#1b7f3b"
GOT = "#c0392b"
BARS = "#4a86d8"
DPI = 110


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=9)
    ax.grid(alpha=0.25)


def data_uri(fig: Figure) -> str:
    """The figure as a base64 PNG data URI."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


MAX_DRAWN = 1e100  # beyond this, axis limits and ticks overflow


def _finite(values: object) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    return np.where(np.isfinite(arr), arr, np.nan)


def curves(plot: dict) -> str | None:
    """The student's curve next to the expected one; None when the data cannot be drawn."""
    try:
        x, expected, got = (_finite(plot[k]) for k in ("x", "expected", "got"))
    except (KeyError, TypeError, ValueError):
        return None
    if not (x.size == expected.size == got.size) or x.size == 0:
        return None
    values = np.concatenate([x, expected, got])
    if np.nanmax(np.abs(values), initial=0.0) > MAX_DRAWN:
        return None  # too large to draw; the feedback page says so
    fig = _figure(4.6, 2.7)
    ax = fig.add_subplot()
    ax.plot(x, expected, color=EXPECTED, lw=3.5, alpha=0.55, label="expected")
    marks = "o" if x.size <= 60 else None
    ax.plot(x, got, color=GOT, lw=1.6, ls="--", marker=marks, ms=2.5, label="your result")
    finite = np.concatenate([expected[np.isfinite(expected)], got[np.isfinite(got)]])
    if finite.size:
        lo, hi = float(finite.min()), float(finite.max())
        pad = 0.08 * (hi - lo) if hi > lo else 0.5
        ax.set_ylim(lo - pad, hi + pad)
    ax.set_title(str(plot.get("title", ""))[:80], fontsize=11)
    ax.legend(fontsize=8, frameon=False)
    _style(ax)
    fig.tight_layout()
    return data_uri(fig)


def histogram(percents: list[float]) -> str:
    """How many submissions scored in each tenth of the marks (100% in the last bin)."""
    counts = [0] * 10
    for p in percents:
        counts[min(9, max(0, math.floor(p / 10)))] += 1
    fig = _figure(4.4, 2.9)
    ax = fig.add_subplot()
    colours = [GOT if i < 5 else "#e09b2d" if i < 8 else EXPECTED for i in range(10)]
    ax.bar([i * 10 + 5 for i in range(10)], counts, width=9, color=colours)
    ax.set_xticks(range(0, 101, 10))
    ax.set_xlim(0, 100)
    ax.set_xlabel("score (%)", fontsize=10)
    ax.set_ylabel("submissions", fontsize=10)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Score distribution", fontsize=11)
    _style(ax)
    fig.tight_layout()
    return data_uri(fig)


def pass_rates(rates: dict[str, float]) -> str:
    """Horizontal bars: the share of submissions that passed every test of each function."""
    names = list(rates)[::-1]
    values = [100 * rates[n] for n in names]
    fig = _figure(4.4, max(2.9, 0.9 + 0.3 * len(names)))
    ax = fig.add_subplot()
    ax.barh(names, [100] * len(names), color="#eef1f4")
    colours = [EXPECTED if v >= 75 else "#e09b2d" if v >= 40 else GOT for v in values]
    ax.barh(names, values, color=colours)
    for i, v in enumerate(values):
        ax.text(min(v, 88) + 1.5, i, f"{v:.0f}%", va="center", fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("passed every test (%)", fontsize=10)
    ax.set_title("Pass rate per graded function", fontsize=11)
    _style(ax)
    ax.grid(False)
    ax.tick_params(axis="y", labelsize=9, length=0)
    fig.tight_layout()
    return data_uri(fig)
