"""The audit admin shows when an event happened in Dutch time and says so."""

from django.utils.timezone import localtime

from audit.models import AuditEvent


def test_the_audit_admin_labels_its_times_as_dutch_time_and_shows_them_so(signed_in):
    client = signed_in("privacy")
    client.get("/beheer/audit/auditevent/")  # writes an admin_view event to show
    event = AuditEvent.objects.latest("id")
    page = client.get("/beheer/audit/auditevent/").content.decode()
    assert "ijdstip (Nederlandse tijd)" in page
    assert "(UTC)" not in page
    assert localtime(event.ts).strftime("%d-%m-%Y %H:%M:%S") in page
    assert localtime(event.ts).strftime("%Z") in ("CET", "CEST")


def test_an_audit_event_page_shows_its_time_in_dutch_time(signed_in):
    client = signed_in("privacy")
    client.get("/beheer/audit/auditevent/")
    event = AuditEvent.objects.latest("id")
    page = client.get(f"/beheer/audit/auditevent/{event.pk}/change/").content.decode()
    assert "ijdstip (Nederlandse tijd)" in page and "(UTC)" not in page
    assert localtime(event.ts).strftime("%d-%m-%Y %H:%M:%S") in page
