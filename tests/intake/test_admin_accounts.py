"""The application admin manages accounts but cannot raise anyone past the roles."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


@pytest.fixture
def root() -> object:
    return get_user_model().objects.create_superuser("root", password="x-root-not-used")


def test_the_application_admin_can_open_the_user_list(signed_in: object) -> None:
    response = signed_in("beheer").get("/beheer/auth/user/")
    assert response.status_code == 200
    assert "consulent2" in response.content.decode()


def test_the_application_admin_does_not_see_superusers(signed_in: object, root: object) -> None:
    client = signed_in("beheer")
    assert "root" not in client.get("/beheer/auth/user/").content.decode()
    assert client.get(f"/beheer/auth/user/{root.pk}/change/").status_code == 302


def test_the_application_admin_cannot_make_anyone_superuser(
    signed_in: object, demo_users: dict
) -> None:
    beheer = demo_users["beheer"]
    client = signed_in("beheer")
    url = f"/beheer/auth/user/{beheer.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    data = {
        "username": "beheer",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [g.pk for g in beheer.groups.all()],
    }
    client.post(url, data)
    beheer.refresh_from_db()
    assert not beheer.is_superuser


def test_the_application_admin_cannot_change_a_roles_permissions(
    signed_in: object, demo_users: dict
) -> None:
    group = Group.objects.get(name="functioneel beheerder")
    before = set(group.permissions.values_list("pk", flat=True))
    client = signed_in("beheer")
    form = client.get(f"/beheer/auth/group/{group.pk}/change/").context["adminform"].form
    assert "permissions" not in form.fields
    client.post(
        f"/beheer/auth/group/{group.pk}/change/",
        {"name": group.name, "permissions": list(range(1, 200))},
    )
    assert set(group.permissions.values_list("pk", flat=True)) == before


def test_the_application_admin_adds_a_caseworker_to_a_team(
    signed_in: object, demo_users: dict
) -> None:
    user = demo_users["consulent2"]
    team = Group.objects.create(name="Team Zuid")
    client = signed_in("beheer")
    url = f"/beheer/auth/user/{user.pk}/change/"
    groups = [*user.groups.values_list("pk", flat=True), team.pk]
    response = client.post(url, {"username": user.username, "is_active": "on", "groups": groups})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert user.groups.filter(name="Team Zuid").exists()


def test_not_even_a_superuser_gets_the_superuser_flag_or_direct_permissions_in_the_admin(
    root: object,
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(root)
    form = client.get("/beheer/auth/user/add/").context["adminform"].form
    assert "is_superuser" not in form.fields and "password1" not in form.fields
    consulent = get_user_model().objects.create_user("iemand", email="iemand@example.org")
    form = client.get(f"/beheer/auth/user/{consulent.pk}/change/").context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert "groups" in form.fields  # the positive control: the form is the editable one
