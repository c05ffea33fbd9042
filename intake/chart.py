"""The ZRM profile as a server-rendered SVG bar chart: geometry only, no JavaScript."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

LABEL_WIDTH = 210
BAR_AREA = 300
ROW_HEIGHT = 28
BAR_HEIGHT = 18
TOP = 24
MAX_SCORE = 5


@dataclass(frozen=True)
class Bar:
    label: str
    score: int | None
    y: int  # top of the row
    text_y: int  # baseline of the row's text
    width: int  # 0 for "niet besproken"
    css_class: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]
    ticks: list[tuple[int, int]]  # (score, x)


def bar_chart(rows: list[tuple[str, int | None]]) -> BarChart:
    """rows: (domain name, score or None) in instrument order."""
    bars = []
    for index, (label, score) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        width = 0 if score is None else round(BAR_AREA * score / MAX_SCORE)
        bars.append(
            Bar(
                label=label,
                score=score,
                y=y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                text_y=y + ROW_HEIGHT // 2 + 5,
                width=width,
                css_class=f"zrm-bar zrm-score-{score}" if score else "zrm-bar",
            )
        )
    ticks = [(s, LABEL_WIDTH + round(BAR_AREA * s / MAX_SCORE)) for s in range(MAX_SCORE + 1)]
    return BarChart(
        width=LABEL_WIDTH + BAR_AREA + 40,
        height=TOP + len(rows) * ROW_HEIGHT + 8,
        label_width=LABEL_WIDTH,
        bars=bars,
        ticks=ticks,
    )


def chart_svg(chart: BarChart) -> SafeString:
    """The chart as inline SVG, labelled for screen readers (the table below the chart has
    the same data). Built here rather than in the template: looping over the bars in the
    template language was a fifth of the detail page's work (make bench, cProfile: 7,400
    function calls per page)."""
    ticks = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="16" y2="{}" class="zrm-grid"/>'
        '<text x="{}" y="12" text-anchor="middle" class="zrm-tick">{}</text>',
        ((x, x, chart.height, x, score) for score, x in chart.ticks),
    )
    not_discussed = _("niet besproken")
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" class="zrm-label">{}</text>{}',
        (
            (chart.label_width - 8, bar.text_y, bar.label, _bar_mark(chart, bar, not_discussed))
            for bar in chart.bars
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="chart-title chart-desc" viewBox="0 0 {} {}" width="{}" height="{}" '
        'class="zrm-chart-svg"><title id="chart-title">{}</title><desc id="chart-desc">{}</desc>'
        "{}{}</svg>",
        chart.width,
        chart.height,
        chart.width,
        chart.height,
        _("ZRM-profiel: score per domein"),
        _(
            "Staafdiagram met per domein de score van 1 tot en met 5; dezelfde gegevens staan "
            "in de tabel hieronder."
        ),
        ticks,
        bars,
    )


def _bar_mark(chart: BarChart, bar: Bar, not_discussed: str) -> SafeString:
    if bar.score:
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" class="{}"/>',
            chart.label_width,
            bar.y,
            bar.width,
            BAR_HEIGHT,
            bar.css_class,
        )
    return format_html(
        '<text x="{}" y="{}" class="zrm-none">{}</text>',
        chart.label_width + 6,
        bar.text_y,
        not_discussed,
    )
