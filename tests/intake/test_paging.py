"""The intake list's pages: one query each, the same rows and order as plain slicing."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.access import count_visible_intakes, visible_intakes
from intake.models import Intake
from intake.paging import IntakePaginator
from tests.intake.access_helpers import make_intake

pytestmark = pytest.mark.django_db


def _intakes_with_tied_change_times(caseworker: object, n: int) -> None:
    noord = Group.objects.get(name="Team Noord")
    ids = [make_intake(caseworker, noord, name=f"Persoon {i:02d}").pk for i in range(n)]
    # Pairs of intakes changed at the same moment: the id must break the tie.
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for i, pk in enumerate(ids):
        Intake.objects.filter(pk=pk).update(updated_at=base + dt.timedelta(minutes=i // 2))


def test_every_page_holds_the_rows_plain_slicing_would_in_the_same_order(demo_users) -> None:
    user = demo_users["consulent"]
    _intakes_with_tied_change_times(user, 23)
    intakes = visible_intakes(user).newest_first()
    expected = list(intakes)
    assert len(expected) == 23
    paginator = IntakePaginator(intakes, 10)
    pages = [list(paginator.page(n).object_list) for n in paginator.page_range]
    assert [len(p) for p in pages] == [10, 10, 3]
    assert [i.pk for p in pages for i in p] == [i.pk for i in expected]
    assert expected[0].updated_at >= expected[-1].updated_at


def test_a_page_is_one_query_with_the_residents_and_one_for_their_keys(demo_users) -> None:
    user = demo_users["consulent"]
    _intakes_with_tied_change_times(user, 5)
    paginator = IntakePaginator(visible_intakes(user).newest_first(), 20, count=5)
    with CaptureQueriesContext(connection) as queries:
        names = [i.resident.name for i in paginator.get_page(1).object_list]
    # The page's rows with their residents, then the data keys of the whole page at once.
    assert len(queries) == 2
    assert sorted(names) == [f"Persoon {i:02d}" for i in range(5)]


def test_a_given_count_is_used_and_a_missing_one_is_counted(demo_users) -> None:
    user = demo_users["consulent"]
    _intakes_with_tied_change_times(user, 3)
    intakes = visible_intakes(user).newest_first()
    assert IntakePaginator(intakes, 2, count=count_visible_intakes(user)).num_pages == 2
    assert IntakePaginator(intakes.search("Persoon 01"), 2).count == 1
    # An out-of-range page number shows the last page, as Django's paginator does.
    assert IntakePaginator(intakes, 2).get_page(9).number == 2
