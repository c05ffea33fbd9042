import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from audit.models import Action, AuditEvent
from tests.audit.conftest import RESIDENT_REF

CHANGELIST = "/beheer/audit/auditevent/"


@pytest.fixture
def admin_client_(db: None) -> Client:
    user = get_user_model().objects.create_superuser("auditor", password="x-long-password-1")
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_offers_no_add_change_or_delete(admin_client_, write_events) -> None:
    event = write_events(1)[0]
    assert admin_client_.get(CHANGELIST + "add/").status_code == 403
    denied = AuditEvent.objects.get(action=Action.ACCESS_DENIED)
    assert (denied.detail["status"], denied.detail["view"]) == (403, "admin:audit_auditevent_add")
    assert admin_client_.get(f"{CHANGELIST}{event.pk}/delete/").status_code == 403
    detail = admin_client_.get(f"{CHANGELIST}{event.pk}/change/")
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    response = admin_client_.post(f"{CHANGELIST}{event.pk}/change/", {"action": "create"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "read"


def test_admin_search_is_an_exact_match_on_the_resident_reference(
    admin_client_, write_events
) -> None:
    write_events(2, resident_ref=RESIDENT_REF)
    write_events(3)
    found = admin_client_.get(CHANGELIST, {"q": RESIDENT_REF}).context["cl"].result_list
    assert len(found) == 2
    partial = admin_client_.get(CHANGELIST, {"q": RESIDENT_REF[:8]}).context["cl"].result_list
    assert len(partial) == 0


def test_admin_filters_by_action_and_date(admin_client_, write_events) -> None:
    import datetime as dt

    write_events(2)
    write_events(1, action=Action.CREATE)
    write_events(1, at=dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC), action=Action.UPDATE)
    result = admin_client_.get(CHANGELIST, {"action__exact": "create"}).context["cl"].result_list
    # (The superuser that admin_client_ made is a "create" event of its own: accounts.signals.)
    assert [e.action for e in result if e.object_type != "user"] == ["create"]
    period = {"ts__gte": "2020-06-01 00:00:00+00:00", "ts__lt": "2020-06-02 00:00:00+00:00"}
    result = admin_client_.get(CHANGELIST, period).context["cl"].result_list
    assert [e.action for e in result] == ["update"]


def test_admin_page_views_are_logged_without_the_search_text(admin_client_, write_events) -> None:
    event = write_events(1)[0]
    admin_client_.get(CHANGELIST, {"q": "Jan Jansen"})
    admin_client_.get(CHANGELIST, {"q": RESIDENT_REF})
    admin_client_.get(f"{CHANGELIST}{event.pk}/change/")
    views = list(AuditEvent.objects.filter(action=Action.ADMIN_VIEW).order_by("id"))
    assert [v.detail["page"] for v in views] == ["changelist", "changelist", "change"]
    assert views[0].detail["searched"] is True
    assert "Jansen" not in str(views[0].detail)
    assert views[1].resident_ref == RESIDENT_REF
    assert views[2].detail["object_id"] == str(event.pk)
    assert all(v.actor == "auditor" for v in views)


def test_a_page_with_the_mixin_is_logged_exactly_once(admin_client_, db: None) -> None:
    admin_client_.get(CHANGELIST)
    assert AuditEvent.objects.filter(action=Action.ADMIN_VIEW).count() == 1


def test_admin_pages_without_the_mixin_are_logged_too(admin_client_, demo_users) -> None:
    user = demo_users["consulent"]
    admin_client_.get("/beheer/")
    admin_client_.get(f"/beheer/auth/user/{user.pk}/change/")
    views = list(AuditEvent.objects.filter(action=Action.ADMIN_VIEW).order_by("id"))
    assert [v.detail["page"] for v in views] == ["admin:index", "admin:auth_user_change"]
    assert views[1].detail["object_id"] == str(user.pk)
    assert views[1].actor == "auditor"


def test_the_admin_sign_in_page_is_not_an_admin_view(client: Client, db: None) -> None:
    client.get("/beheer/login/")
    assert not AuditEvent.objects.filter(action=Action.ADMIN_VIEW).exists()


def test_the_admin_opens_on_the_last_seven_days_newest_first(admin_client_, write_events) -> None:
    import datetime as dt

    old = write_events(1, at=dt.datetime.now(dt.UTC) - dt.timedelta(days=10))
    recent = write_events(2)
    shown = [e.pk for e in admin_client_.get(CHANGELIST).context["cl"].result_list]
    assert shown == sorted(shown, reverse=True)  # newest first
    assert {recent[0].pk, recent[1].pk} <= set(shown)
    assert old[0].pk not in shown
    everything = admin_client_.get(CHANGELIST, {"periode": "alles"}).context["cl"].result_list
    assert old[0].pk in [e.pk for e in everything]  # positive control: it is there
    month = admin_client_.get(CHANGELIST, {"periode": "30d"}).context["cl"].result_list
    assert old[0].pk in [e.pk for e in month]


def test_a_search_or_a_date_filter_looks_beyond_the_last_seven_days(
    admin_client_, write_events
) -> None:
    import datetime as dt

    long_ago = dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC)
    (old,) = write_events(1, at=long_ago, resident_ref=RESIDENT_REF)
    found = admin_client_.get(CHANGELIST, {"q": RESIDENT_REF}).context["cl"].result_list
    assert [e.pk for e in found] == [old.pk]


def test_the_admin_counts_no_more_than_it_must(admin_client_, write_events, monkeypatch) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.admin import EstimatedCountPaginator

    write_events(3)
    exact = AuditEvent.objects.count()  # the three and the sign-in
    assert admin_client_.get(CHANGELIST).context["cl"].result_count == exact  # exact when few
    if connection.vendor != "postgresql":
        return
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_ABOVE", 1)
    with CaptureQueriesContext(connection) as captured:
        response = admin_client_.get(CHANGELIST)
    assert response.status_code == 200
    statements = [q["sql"] for q in captured]
    assert any(s.startswith("EXPLAIN (FORMAT JSON)") for s in statements)
    assert not any("COUNT(" in s.upper() and "audit_auditevent" in s for s in statements)
