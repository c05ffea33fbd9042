"""A reassessment shows the previous measurement: dated in the chart, and in the form."""

import datetime as dt
import re
from xml.etree import ElementTree

from django.template.loader import render_to_string

from intake.chart import profile_chart
from tests.factories import finalise_now

SVG = "{http://www.w3.org/2000/svg}"


def _reassessment(make_intake):
    first = make_intake(domains={"financien": (2, "confirmed", ""), "huisvesting": (3, "none", "")})
    finalise_now(first)  # huisvesting had no help need: its score is destroyed
    second = make_intake(previous=first, domains={"financien": (4, "confirmed", "")})
    return first, second


def test_the_chart_outlines_the_previous_score_over_each_bar_and_dates_it():
    chart = profile_chart(
        [("Financiën", 4), ("Werk", None)], {"Financiën": 2, "Werk": 3}, dt.date(2026, 3, 1)
    )
    svg = ElementTree.fromstring(render_to_string("_bar_chart.svg.html", {"chart": chart}))
    outlines = [r for r in svg.iter(f"{SVG}rect") if r.get("class") == "zrm-previous-bar"]
    assert [int(r.get("width")) for r in outlines] == [120, 180]
    assert "vorige meting van 01-03-2026" in svg.find(f"{SVG}desc").text


def test_without_a_previous_measurement_the_chart_draws_no_outline():
    chart = profile_chart([("Financiën", 4)])
    svg = ElementTree.fromstring(render_to_string("_bar_chart.svg.html", {"chart": chart}))
    assert [r.get("class") for r in svg.iter(f"{SVG}rect")] == ["zrm-bar zrm-score-4"]


def test_the_profile_shows_the_previous_measurement_dated_in_chart_legend_and_table(
    signed_in, make_intake
):
    first, second = _reassessment(make_intake)
    day = first.measured_on().strftime("%d-%m-%Y")
    page = signed_in("consulent").get(f"/intakes/{second.pk}/").content.decode()
    assert page.count('class="zrm-previous-bar"') == 1  # only the kept score of financien
    assert f"vorige meting ({day})" in page and f"Vorige meting ({day})" in page


def test_the_reassessment_form_shows_the_previous_kept_score_per_domain(signed_in, make_intake):
    first, second = _reassessment(make_intake)
    day = first.measured_on().strftime("%d-%m-%Y")
    page = signed_in("consulent").get(f"/intakes/{second.pk}/bewerken/").content.decode()
    shown = re.findall(r"data-testid='previous-score'>([^<]+)<", page)
    assert shown == [f"Vorige meting ({day}): 2 – niet zelfredzaam"]


def test_a_first_measurement_shows_no_previous_scores(signed_in, make_intake):
    intake = make_intake(domains={"financien": (2, "confirmed", "")})
    page = signed_in("consulent").get(f"/intakes/{intake.pk}/bewerken/").content.decode()
    assert "previous-score" not in page
    assert "zrm-domain__heading" in page  # positive control: the form was rendered
