import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import Action, AuditEvent
from minimisation.models import DecisionRecord, KeptField
from privacy.overview import overview
from tests.factories import finalise_now

TODAY = dt.date(2026, 6, 15)


def make_decisions(make_intake, n: int) -> None:
    for i in range(n):
        helped = make_intake(
            domains={"financien": (2, "confirmed", "n"), "justitie": (2, "confirmed", "j")}
        )
        finalise_now(helped, TODAY)
        refused = make_intake(framework="schuldhulp", domains={"financien": (4, "none", "x")})
        finalise_now(refused, TODAY - dt.timedelta(days=i))


@pytest.mark.django_db
def test_the_overview_counts_match_the_decision_records(make_intake):
    make_decisions(make_intake, 2)
    frameworks = {fw.framework: fw for fw in overview(TODAY - dt.timedelta(days=30), TODAY)}
    wmo, wgs = frameworks["wmo"], frameworks["schuldhulp"]
    assert (wmo.intakes, wmo.no_help_need) == (2, 0)
    assert (wgs.intakes, wgs.no_help_need) == (2, 2)
    rows = {r.group: r for r in wmo.rows}
    assert (rows["financien"].kept, rows["financien"].discarded) == (6, 0)
    assert (rows["justitie"].kept, rows["justitie"].discarded) == (0, 6)
    assert rows["resident"].kept == 16  # six resident fields plus ref and created_at, twice
    wmo_records = DecisionRecord.objects.filter(framework="wmo")
    assert wmo.kept == KeptField.objects.filter(decision__in=wmo_records).count()
    assert wmo.discarded == sum(sum(r.discarded_counts.values()) for r in wmo_records)
    assert {r.group for r in wgs.rows} >= {"resident", "financien", "intake"}
    refused_resident = {r.group: r for r in wgs.rows}["resident"]
    # Without a help need only the reference and its date stay; all six data fields go.
    assert (refused_resident.kept, refused_resident.discarded) == (4, 12)


@pytest.mark.django_db
def test_the_period_selects_decisions_by_date(make_intake):
    make_decisions(make_intake, 2)
    frameworks = {fw.framework: fw for fw in overview(TODAY, TODAY)}
    assert frameworks["schuldhulp"].intakes == 1  # the other one was decided the day before
    assert frameworks["wmo"].intakes == 2
    assert all(fw.intakes == 0 for fw in overview(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))


@pytest.mark.django_db
def test_the_overview_takes_the_same_number_of_queries_for_more_decisions(make_intake):
    make_decisions(make_intake, 1)
    with CaptureQueriesContext(connection) as few:
        overview(TODAY - dt.timedelta(days=30), TODAY)
    make_decisions(make_intake, 4)
    with CaptureQueriesContext(connection) as many:
        overview(TODAY - dt.timedelta(days=30), TODAY)
    assert len(few) == len(many) == 3


@pytest.mark.django_db
def test_the_page_shows_an_svg_chart_with_a_table_and_offers_csv(make_intake, signed_in):
    make_decisions(make_intake, 1)
    client = signed_in("privacy")
    query = {"van": "2026-01-01", "tot": "2026-12-31"}
    html = client.get(reverse("privacy:overview"), query).content.decode()
    assert "<svg" in html and "<table" in html
    assert 'data-testid="row-wmo-justitie"' in html
    assert "<script" not in html.split("<footer")[0].split("<main")[1]
    response = client.get(reverse("privacy:overview"), {**query, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    justice = next(r for r in rows if r["kader"] == "wmo" and r["domein"] == "justitie")
    assert (justice["vastgelegd"], justice["bewaard"], justice["vernietigd"]) == ("3", "0", "3")
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor="privacy").exists()


@pytest.mark.django_db
def test_an_end_before_the_start_gets_a_dutch_message(signed_in):
    response = signed_in("privacy").get(
        reverse("privacy:overview"), {"van": "2026-05-01", "tot": "2026-04-01"}
    )
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()
