"""The ZRM profile as a server-rendered SVG bar chart: geometry only, no JavaScript."""

from dataclasses import dataclass

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
