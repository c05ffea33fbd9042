"""List, form and detail pages run the same number of queries at any size."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.context import AuditContext
from intake.services import DomainValues, save_assessment

TEST_CONTEXT = AuditContext.system("test")


def queries(client, url: str, data: dict | None = None) -> int:
    # Once first: a fresh session stores its idle clock on its first request (one UPDATE),
    # later requests within a minute do not (config/middleware.py).
    client.post(url, data) if data else client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if data else client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_page_queries_do_not_grow_with_the_number_of_intakes(signed_in, make_intake):
    client = signed_in("consulent")
    for n in range(2):
        make_intake(name=f"Klein {n}")
    small = queries(client, "/intakes/")
    for n in range(16):
        make_intake(name=f"Groot {n}")
    assert queries(client, "/intakes/") == small
    searched_small = queries(client, "/intakes/", {"q": "Klein", "status": "draft"})
    assert queries(client, "/intakes/", {"q": "Groot", "status": "draft"}) == searched_small


def test_the_form_page_queries_do_not_grow_with_the_number_of_domains(signed_in, make_intake):
    client = signed_in("consulent")
    eleven = make_intake(instrument_version="zrm2013")
    thirteen = make_intake(instrument_version="zrm2017")
    for n in range(10):
        make_intake(name=f"Extra {n}")
    assert queries(client, f"/intakes/{eleven.pk}/bewerken/") == queries(
        client, f"/intakes/{thirteen.pk}/bewerken/"
    )


def test_the_detail_page_queries_do_not_grow_with_domains_or_reassessments(signed_in, make_intake):
    client = signed_in("consulent")
    eleven = make_intake(instrument_version="zrm2013")
    first = make_intake(instrument_version="zrm2017")
    save_assessment(
        first,
        1,
        {c: DomainValues(3, "none", "") for c in first.instrument.domain_codes},
        context=TEST_CONTEXT,
    )
    # Stored values, so the baseline also fetches the data keys of its domains (one query).
    save_assessment(eleven, 1, {"financien": DomainValues(2, "none", "")}, context=TEST_CONTEXT)
    second = make_intake(previous=first)
    save_assessment(second, 1, {"financien": DomainValues(4, "none", "")}, context=TEST_CONTEXT)
    for _ in range(5):
        make_intake(previous=second)
    baseline = queries(client, f"/intakes/{eleven.pk}/")
    # A reassessment also reads the previous intake's domains and their data keys: at
    # most two queries more.
    assert queries(client, f"/intakes/{first.pk}/") == baseline
    assert queries(client, f"/intakes/{second.pk}/") <= baseline + 2
