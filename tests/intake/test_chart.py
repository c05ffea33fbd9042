"""The bar charts: inline SVG with a bar per scored domain, readable without colour."""

from xml.etree import ElementTree

from django.template.loader import render_to_string

from intake.chart import BarChart, Row, bar_chart, profile_chart

SVG = "{http://www.w3.org/2000/svg}"


def _drawn(chart: BarChart) -> ElementTree.Element:
    return ElementTree.fromstring(render_to_string("_bar_chart.svg.html", {"chart": chart}))


def _svg(rows: list[tuple[str, int | None]]) -> ElementTree.Element:
    return _drawn(profile_chart(rows))


def test_each_scored_domain_is_a_bar_as_wide_as_its_score() -> None:
    svg = _svg([("Financiën", 5), ("Werk", 1), ("Huisvesting", None)])
    widths = [int(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]
    assert widths == [300, 60]
    assert [rect.get("class") for rect in svg.iter(f"{SVG}rect")] == [
        "zrm-bar zrm-score-5",
        "zrm-bar zrm-score-1",
    ]


def test_an_unscored_domain_says_niet_besproken_instead_of_a_bar() -> None:
    svg = _svg([("Werk", None)])
    assert not list(svg.iter(f"{SVG}rect"))
    texts = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "zrm-none"]
    assert texts == ["niet besproken"]


def test_the_chart_is_labelled_for_screen_readers_and_has_a_scale() -> None:
    svg = _svg([("Werk", 3)])
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "chart-title chart-desc"
    assert svg.find(f"{SVG}title").text == "ZRM-profiel: score per domein"
    assert svg.find(f"{SVG}desc").get("id") == "chart-desc"
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "zrm-tick"]
    assert ticks == ["0", "1", "2", "3", "4", "5"]


def test_labels_are_escaped() -> None:
    svg = _svg([('<script>alert("x")</script>', 2)])
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "zrm-label"]
    assert labels == ['<script>alert("x")</script>']  # parsed back: it was escaped text


def test_stacked_parts_follow_each_other_on_one_scale_and_the_note_follows_the_bar() -> None:
    chart = bar_chart(
        [Row("A", [(2, "kept"), (1, "gone")], note="2 / 1"), Row("B", [(0, "kept"), (3, "gone")])],
        scale_max=6,
        html_id="g",
        title="Titel",
    )
    svg = _drawn(chart)
    rects = [(r.get("class"), int(r.get("x")), int(r.get("width"))) for r in svg.iter(f"{SVG}rect")]
    start = rects[0][1]
    # A's kept part, then its discarded part right after it; B has no empty kept part.
    assert rects == [("kept", start, 100), ("gone", start + 100, 50), ("gone", start, 150)]
    note = next(t for t in svg.iter(f"{SVG}text") if t.text == "2 / 1")
    assert int(note.get("x")) > start + 150
    assert svg.get("aria-labelledby") == "g-title"  # no description, no dangling id
