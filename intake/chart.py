"""Horizontal bar charts as server-rendered SVG: the numbers here, the drawing in a template.

bar_chart() turns rows of amounts into plain geometry; templates/_bar_chart.svg.html draws
it. The intake's ZRM profile (profile_chart() below) and the privacy officer's minimisation
overview (minimisation/overview.py) both use it. No JavaScript; every page that shows a chart
gives the same numbers in a table.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

LABEL_WIDTH = 220  # the labels, right-aligned, left of the bars
BAR_AREA = 300  # the scale's maximum
VALUE_ROOM = 90  # right of the bar area, for a note after a full bar
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 8
TOP_WITH_TICKS = 24  # room for the scale's numbers above the rows
MAX_SCORE = 5


@dataclass(frozen=True)
class Row:
    """One row as the caller describes it: no geometry."""

    label: str
    parts: Sequence[tuple[int, str]]  # (amount, CSS class), stacked from left to right
    note: str = ""  # text right after the bar ("niet besproken", "3 / 4")
    note_class: str = ""
    marker: int = 0  # an amount drawn as an outline over the bar (the previous measurement)


@dataclass(frozen=True)
class Segment:
    x: int
    width: int
    css_class: str


@dataclass(frozen=True)
class Bar:
    label: str
    y: int  # top of the bar
    text_y: int  # baseline of the row's texts
    segments: tuple[Segment, ...]  # none for a row without amounts
    note: str
    note_x: int
    note_class: str
    marker_width: int = 0  # 0: no outline


@dataclass(frozen=True)
class BarChart:
    html_id: str  # prefix of the title's and description's ids
    title: str
    description: str
    css_class: str
    width: int
    height: int
    label_x: int  # right edge of the labels
    bar_height: int
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[int, int], ...]  # (value, x)


def bar_chart(
    rows: Sequence[Row],
    *,
    scale_max: int,
    html_id: str,
    title: str,
    description: str = "",
    css_class: str = "",
    ticks: Sequence[int] = (),
) -> BarChart:
    """The geometry of `rows` on a scale from 0 to `scale_max`, with a grid line and number
    at each of `ticks`. Parts with amount 0 are left out."""
    scale_max = max(scale_max, 1)
    top = TOP_WITH_TICKS if ticks else TOP
    bars = []
    for index, row in enumerate(rows):
        y = top + index * ROW_HEIGHT
        x = LABEL_WIDTH
        segments = []
        for amount, part_class in row.parts:
            if amount:
                width = round(BAR_AREA * amount / scale_max)
                segments.append(Segment(x=x, width=width, css_class=part_class))
                x += width
        bars.append(
            Bar(
                label=row.label,
                y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                text_y=y + ROW_HEIGHT // 2 + 5,
                segments=tuple(segments),
                note=row.note,
                note_x=max(x, LABEL_WIDTH + round(BAR_AREA * row.marker / scale_max)) + 6,
                note_class=row.note_class,
                marker_width=round(BAR_AREA * row.marker / scale_max) if row.marker else 0,
            )
        )
    return BarChart(
        html_id=html_id,
        title=title,
        description=description,
        css_class=css_class,
        width=LABEL_WIDTH + BAR_AREA + VALUE_ROOM,
        height=top + len(bars) * ROW_HEIGHT + 8,
        label_x=LABEL_WIDTH - 8,
        bar_height=BAR_HEIGHT,
        bars=tuple(bars),
        ticks=tuple((t, LABEL_WIDTH + round(BAR_AREA * t / scale_max)) for t in ticks),
    )


def profile_chart(
    rows: Sequence[tuple[str, int | None]],
    previous: Mapping[str, int] | None = None,
    previous_on: dt.date | None = None,
) -> BarChart:
    """The ZRM profile: rows are (domain name, score or None) in instrument order; a bar per
    scored domain, coloured by score, and "niet besproken" for the others. `previous` (domain
    name -> the previous measurement's kept score) is drawn as a dashed outline over each
    bar, dated `previous_on` in the description."""
    not_discussed = _("niet besproken")
    previous = previous or {}
    description = _(
        "Staafdiagram met per domein de score van 1 tot en met 5; dezelfde gegevens staan "
        "in de tabel hieronder."
    )
    if previous:
        description += " " + _(
            "Een gestippelde omlijning toont de score van de vorige meting van %(day)s."
        ) % {"day": previous_on.strftime("%d-%m-%Y") if previous_on else "?"}
    return bar_chart(
        [
            Row(
                label,
                [(score, f"zrm-bar zrm-score-{score}")] if score else [],
                note="" if score else not_discussed,
                note_class="" if score else "zrm-none",
                marker=previous.get(label, 0),
            )
            for label, score in rows
        ],
        scale_max=MAX_SCORE,
        html_id="chart",
        title=_("ZRM-profiel: score per domein"),
        description=description,
        ticks=range(MAX_SCORE + 1),
    )
