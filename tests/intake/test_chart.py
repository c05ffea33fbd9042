"""The ZRM profile chart: inline SVG with a bar per scored domain, readable without colour."""

from xml.etree import ElementTree

from intake.chart import bar_chart, chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def _svg(rows: list[tuple[str, int | None]]) -> ElementTree.Element:
    return ElementTree.fromstring(str(chart_svg(bar_chart(rows))))


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
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "zrm-tick"]
    assert ticks == ["0", "1", "2", "3", "4", "5"]


def test_labels_are_escaped() -> None:
    svg = _svg([('<script>alert("x")</script>', 2)])
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "zrm-label"]
    assert labels == ['<script>alert("x")</script>']  # parsed back: it was escaped text
