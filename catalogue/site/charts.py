"""Charts drawn at build time as static SVG, each with a text alternative and its figures as a table.

No chart needs a script or a server: the SVG is inline, `role="img"` with a `<title>` and a
`<desc>` that states every value, and a `<details>` table repeats the figures for screen readers
and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR = "#3949ab"  # indigo 600: 7.5:1 against white
MUTED = "#5f6368"
TEXT = "#1f1f1f"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def _figure(svg: str, uid: str, caption: str | None, table_caption: str, head: tuple[str, str],
            rows: Sequence[tuple[str, str]]) -> Markup:
    body = "".join(f"<tr><th scope=\"row\">{escape(a)}</th><td>{escape(b)}</td></tr>" for a, b in rows)
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return Markup(
        f'<figure class="catalogue-chart" id="{uid}">{svg}{cap}'
        f"<details><summary>{escape(table_caption)}</summary>"
        f'<table><thead><tr><th scope="col">{escape(head[0])}</th>'
        f'<th scope="col">{escape(head[1])}</th></tr></thead><tbody>{body}</tbody></table>'
        "</details></figure>"
    )


def _svg_open(uid: str, width: float, height: float, title: str, desc: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'width="100%" style="max-width:{width:.0f}px" role="img" '
            f'aria-labelledby="{uid}-t {uid}-d" focusable="false">'
            f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>')


def _fmt(value: float) -> str:
    return f"{value:g}"


def bar_chart(uid: str, title: str, bars: Sequence[Bar], table_caption: str,
              head: tuple[str, str], caption: str | None = None) -> Markup:
    """Horizontal bars, each with its label above it and its value after it."""
    plot_w, row_h = 320.0, 38
    width, height = plot_w + 50, row_h * len(bars) + 4
    top = max([b.value for b in bars] + [1])
    desc = "; ".join(f"{b.label}: {_fmt(b.value)}" for b in bars)
    parts = [_svg_open(uid, width, height, title, desc), '<g aria-hidden="true">']
    for i, b in enumerate(bars):
        y = i * row_h
        w = max(2.0, plot_w * b.value / top) if b.value else 0
        parts.append(f'<text x="0" y="{y + 14}" font-size="13" fill="{TEXT}">{escape(b.label)}</text>'
                     f'<rect x="0" y="{y + 19}" width="{w:.1f}" height="14" rx="2" fill="{BAR}"/>'
                     f'<text x="{w + 6:.1f}" y="{y + 31}" font-size="13" fill="{TEXT}">'
                     f'{_fmt(b.value)}</text>')
    parts.append("</g></svg>")
    rows = [(b.label, _fmt(b.value)) for b in bars]
    return _figure("".join(parts), uid, caption, table_caption, head, rows)


def timeline(uid: str, title: str, start: int, end: int | None, now: int, until_now: str,
             table_caption: str, head: tuple[str, str]) -> Markup:
    """A bar from the first to the last year of coverage on an axis of decades."""
    last = end or now
    lo, hi = (min(start, last) // 10) * 10, max(last, start) + 1
    plot_w, left = 560.0, 20.0

    def x(year: float) -> float:
        return left + plot_w * (year - lo) / max(1, hi - lo)

    span = f"{start}–{end if end else until_now}"
    parts = [_svg_open(uid, plot_w + 2 * left, 64, title, f"{title}: {span}"), '<g aria-hidden="true">',
             f'<line x1="{left}" y1="40" x2="{left + plot_w}" y2="40" stroke="{MUTED}"/>']
    step = 10 if hi - lo <= 80 else 20
    for year in range(lo, hi + 1, step):
        parts.append(f'<line x1="{x(year):.1f}" y1="36" x2="{x(year):.1f}" y2="44" stroke="{MUTED}"/>'
                     f'<text x="{x(year):.1f}" y="58" font-size="11" text-anchor="middle" '
                     f'fill="{TEXT}">{year}</text>')
    parts.append(f'<rect x="{x(start):.1f}" y="14" width="{max(3.0, x(last + 1) - x(start)):.1f}" '
                 f'height="18" rx="3" fill="{BAR}"/>'
                 f'<text x="{x(start):.1f}" y="10" font-size="11" fill="{TEXT}">{escape(span)}</text>')
    parts.append("</g></svg>")
    return _figure("".join(parts), uid, title, table_caption, head, [(head[0], span)])


def rate_chart(uid: str, title: str, rates: Sequence[tuple[int, float]], table_caption: str,
               head: tuple[str, str]) -> Markup:
    """Coverage rate (0–100 %) by year as columns."""
    rates = sorted(rates)
    col_w, left, plot_h = 44.0, 36.0, 120.0
    width = left + col_w * len(rates) + 10
    desc = "; ".join(f"{y}: {_fmt(r)} %" for y, r in rates)
    parts = [_svg_open(uid, max(width, 200), plot_h + 40, title, desc), '<g aria-hidden="true">']
    for pct in (0, 50, 100):
        y = 10 + plot_h * (1 - pct / 100)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width:.0f}" y2="{y:.1f}" '
                     f'stroke="#d0d0d0"/><text x="{left - 4}" y="{y + 4:.1f}" font-size="11" '
                     f'text-anchor="end" fill="{TEXT}">{pct}</text>')
    for i, (year, rate) in enumerate(rates):
        h = plot_h * rate / 100
        cx = left + i * col_w + 6
        parts.append(f'<rect x="{cx:.1f}" y="{10 + plot_h - h:.1f}" width="{col_w - 12}" '
                     f'height="{h:.1f}" fill="{BAR}"/>'
                     f'<text x="{cx + (col_w - 12) / 2:.1f}" y="{plot_h + 26}" font-size="11" '
                     f'text-anchor="middle" fill="{TEXT}">{year}</text>')
    parts.append("</g></svg>")
    rows = [(str(y), f"{_fmt(r)} %") for y, r in rates]
    return _figure("".join(parts), uid, title, table_caption, head, rows)
