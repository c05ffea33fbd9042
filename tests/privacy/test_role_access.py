import uuid

import pytest
from django.urls import reverse

from audit.models import Action, AuditEvent


def pages(ref: uuid.UUID) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("privacy:overview"), {}),
        ("get", reverse("privacy:overview") + "?format=csv", {}),
        ("get", reverse("privacy:lookup"), {}),
        ("post", reverse("privacy:lookup"), {"q": "KANARIE"}),
        ("get", reverse("privacy:access", kwargs={"ref": ref}), {}),
        ("get", reverse("privacy:access", kwargs={"ref": ref}) + "?format=json", {}),
        ("get", reverse("privacy:correct", kwargs={"ref": ref}), {}),
        ("post", reverse("privacy:correct", kwargs={"ref": ref}), {"reason": "inaccurate"}),
        ("get", reverse("privacy:erase", kwargs={"ref": ref}), {}),
        ("post", reverse("privacy:erase", kwargs={"ref": ref}), {"reason": "withdrawn"}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["consulent", "beheer", "teamleider"])
def test_other_roles_get_404_on_every_privacy_page(canary_intake, signed_in, username):
    client = signed_in(username)
    ref = canary_intake["resident"].ref
    for method, url, data in pages(ref):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
        assert "KANARIE" not in response.content.decode()
    denied = AuditEvent.objects.filter(action=Action.ACCESS_DENIED, actor=username)
    assert denied.count() == len(pages(ref))
    canary_intake["resident"].refresh_from_db()
    assert canary_intake["resident"].name == "KANARIE-NAAM-BEWAARD"  # nothing was erased


@pytest.mark.django_db
def test_the_privacy_officer_opens_every_page(canary_intake, signed_in):
    client = signed_in("privacy")
    ref = canary_intake["resident"].ref
    for method, url, _data in pages(ref):
        if method == "get":
            assert client.get(url).status_code == 200, url
    # The positive control of the other roles' "no KANARIE": this page shows the kept name.
    access = client.get(reverse("privacy:access", kwargs={"ref": ref})).content.decode()
    assert "KANARIE-NAAM-BEWAARD" in access


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_sign_in(canary_intake, client):
    response = client.get(reverse("privacy:access", kwargs={"ref": canary_intake["resident"].ref}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    denied = AuditEvent.objects.filter(action=Action.ACCESS_DENIED).latest("id")
    assert denied.detail["reason"] == "not_signed_in"
    assert denied.resident_ref == str(canary_intake["resident"].ref)
