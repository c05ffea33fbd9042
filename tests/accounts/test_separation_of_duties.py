"""Nobody raises their own rights, and nobody raises someone else's alone (issue 13).

Each escalation path is tried the way the issue saw it tried, through the admin as a
browser would post it; none may work. Each has a positive control: the same path does
what it should for what is allowed (a team, a second person's approval, a revocation).
"""

from __future__ import annotations

import os
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command
from django.http import HttpRequest
from django.test import Client

from accounts.models import GrantStatus, RoleGrant
from accounts.roles import APP_ADMIN, CONSULENT, PRIVACY_OFFICER, role_of
from audit.models import Action, AuditEvent
from intake.management.commands.seed_demo import DEMO_TEAM
from tests.conftest import DEMO_PASSWORD
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LEADS = f"Leiding {DEMO_TEAM}"


def change_url(user: User) -> str:
    return f"/beheer/auth/user/{user.pk}/change/"


def form_data(client: Client, user: User) -> dict[str, object]:
    """What the user's change form would post unchanged."""
    form = client.get(change_url(user)).context["adminform"].form
    data: dict[str, object] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "groups":
            data[name] = [g.pk if hasattr(g, "pk") else g for g in value or []]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None and name != "password":
            data[name] = value
    return data


def post_groups(client: Client, user: User, *names: str, staff: bool | None = None) -> object:
    data = form_data(client, user)
    data["groups"] = [
        *data.get("groups", []),
        *Group.objects.filter(name__in=names).values_list("pk", flat=True),
    ]
    if staff is not None:
        data["is_staff"] = "on" if staff else ""
    return client.post(change_url(user), data)


def group_names(user: User) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.fixture
def second_admin(demo_users: dict) -> User:
    """Another functioneel beheerder: the second pair of eyes."""
    return UserFactory(username="beheer2", role=APP_ADMIN, is_staff=True, password="x-beheer2-1")


@pytest.fixture
def accomplice() -> User:
    return UserFactory(
        username="handlanger", email="handlanger@example.org", password="x-handlanger-1"
    )


def approve(client: Client, *grants: RoleGrant) -> object:
    return client.post(
        "/beheer/accounts/rolegrant/",
        {"action": "approve", "_selected_action": [g.pk for g in grants]},
        follow=True,
    )


# ---- self-grant --------------------------------------------------------------------


def test_the_application_admin_cannot_add_himself_to_a_leads_group_or_the_privacy_role(
    signed_in, demo_users: dict, make_intake
) -> None:
    beheer = demo_users["beheer"]
    intake = make_intake("consulent", name="Inwoner Van Het Team")
    client = signed_in("beheer")
    before = group_names(beheer)
    form = client.get(change_url(beheer)).context["adminform"].form
    assert "groups" not in form.fields and "is_staff" not in form.fields  # read-only for oneself
    client.post(
        change_url(beheer),
        {
            **form_data(client, beheer),
            "groups": list(
                Group.objects.filter(name__in=[LEADS, PRIVACY_OFFICER]).values_list("pk", flat=True)
            ),
        },
    )
    beheer.refresh_from_db()
    assert group_names(beheer) == before
    assert not RoleGrant.objects.filter(user=beheer).exists()
    fresh = signed_in("beheer")
    assert fresh.get(f"/intakes/{intake.pk}/").status_code == 404
    assert fresh.get("/beheer/intake/intake/").status_code == 403
    # The positive control: the team lead, who is in the leads group, reads it.
    assert signed_in("teamleider").get(f"/intakes/{intake.pk}/").status_code == 200


def test_the_application_admin_cannot_rename_his_own_group_into_the_privacy_role(
    signed_in, demo_users: dict
) -> None:
    """Roles are group names: renaming would hand the role to the group's members."""
    client = signed_in("beheer")
    privacy = Group.objects.get(name=PRIVACY_OFFICER)
    own = Group.objects.get(name=APP_ADMIN)
    client.post(f"/beheer/auth/group/{privacy.pk}/change/", {"name": "oude privacyrol"})
    client.post(f"/beheer/auth/group/{own.pk}/change/", {"name": PRIVACY_OFFICER})
    assert Group.objects.filter(name=PRIVACY_OFFICER, pk=privacy.pk).exists()
    assert role_of(User.objects.get(username="beheer")) == APP_ADMIN
    assert signed_in("beheer").get("/privacy/inwoners/").status_code == 404
    # The positive control: a team group is renamed as before.
    team = Group.objects.create(name="Team Oost")
    client.post(f"/beheer/auth/group/{team.pk}/change/", {"name": "Team Oost-Zuid"})
    assert Group.objects.filter(name="Team Oost-Zuid").exists()


def test_a_bulk_delete_cannot_clear_a_role_away_to_take_its_name(
    signed_in, demo_users: dict
) -> None:
    client = signed_in("beheer")
    privacy = Group.objects.get(name=PRIVACY_OFFICER)
    client.post(
        "/beheer/auth/group/",
        {"action": "delete_selected", "_selected_action": [privacy.pk], "post": "yes"},
    )
    assert Group.objects.filter(pk=privacy.pk).exists()
    # Nor one at a time.
    assert (
        client.post(f"/beheer/auth/group/{privacy.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Group.objects.filter(pk=privacy.pk).exists()
    # The positive control: an empty team is still deleted.
    team = Group.objects.create(name="Team Opgeheven")
    client.post(f"/beheer/auth/group/{team.pk}/delete/", {"post": "yes"})
    assert not Group.objects.filter(pk=team.pk).exists()


# ---- four eyes ------------------------------------------------------------------------


def test_a_role_given_to_an_accomplice_waits_for_a_second_person(
    signed_in, demo_users: dict, accomplice: User
) -> None:
    client = signed_in("beheer")
    response = post_groups(client, accomplice, CONSULENT, DEMO_TEAM, staff=True)
    assert response.status_code == 302
    accomplice.refresh_from_db()
    assert group_names(accomplice) == {DEMO_TEAM}  # the team at once: it shows no intake
    assert not accomplice.is_staff
    pending = RoleGrant.objects.filter(user=accomplice, status=GrantStatus.PENDING)
    assert {g.role_name for g in pending} == {CONSULENT, "beheeromgeving (staff)"}
    as_accomplice = Client()
    as_accomplice.force_login(accomplice)
    assert as_accomplice.get("/intakes/").status_code == 403
    page = client.get(change_url(accomplice)).content.decode().lower()
    assert "wacht op goedkeuring" in page and "consulent, beheeromgeving (staff)" in page


def test_nobody_approves_their_own_proposal_and_a_second_admin_does(
    signed_in, demo_users: dict, accomplice: User, second_admin: User
) -> None:
    client = signed_in("beheer")
    post_groups(client, accomplice, CONSULENT)
    grant = RoleGrant.objects.get(user=accomplice)
    approve(client, grant)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING
    assert CONSULENT not in group_names(accomplice)
    # The positive control: the second admin's approval takes effect at once.
    other = Client()
    other.force_login(second_admin)
    approve(other, grant)
    grant.refresh_from_db()
    assert (grant.status, grant.decided_by) == (GrantStatus.APPROVED, second_admin)
    assert CONSULENT in group_names(accomplice)
    # Decided once: approving again changes nothing and says so.
    response = approve(other, grant)
    assert "Over deze toekenning is al besloten." in response.content.decode()


def test_nobody_approves_a_grant_for_themselves(
    signed_in, demo_users: dict, second_admin: User
) -> None:
    """beheer proposes the privacy role for beheer2; beheer2 cannot say yes to it."""
    post_groups(signed_in("beheer"), second_admin, PRIVACY_OFFICER)
    grant = RoleGrant.objects.get(user=second_admin)
    grantee = Client()
    grantee.force_login(second_admin)
    approve(grantee, grant)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.PENDING
    assert PRIVACY_OFFICER not in group_names(second_admin)


def test_the_privacy_officer_approves_the_privacy_role_but_no_other(
    signed_in, demo_users: dict, accomplice: User
) -> None:
    post_groups(signed_in("beheer"), accomplice, PRIVACY_OFFICER, CONSULENT)
    privacy_grant = RoleGrant.objects.get(user=accomplice, group__name=PRIVACY_OFFICER)
    consulent_grant = RoleGrant.objects.get(user=accomplice, group__name=CONSULENT)
    approve(signed_in("privacy"), privacy_grant, consulent_grant)
    privacy_grant.refresh_from_db()
    consulent_grant.refresh_from_db()
    assert privacy_grant.status == GrantStatus.APPROVED
    assert consulent_grant.status == GrantStatus.PENDING
    assert group_names(accomplice) == {PRIVACY_OFFICER}


def test_no_role_is_approved_before_its_owner_activated_the_account(
    signed_in, demo_users: dict, second_admin: User
) -> None:
    """Otherwise the proposer could point the pending account's e-mail at themselves."""
    waiting = UserFactory(username="nog-niet-actief", email="n@example.org")
    assert not waiting.has_usable_password()
    post_groups(signed_in("beheer"), waiting, CONSULENT)
    other = Client()
    other.force_login(second_admin)
    response = approve(other, RoleGrant.objects.get(user=waiting))
    assert "nog niet geactiveerd" in response.content.decode()
    assert CONSULENT not in group_names(waiting)


def test_the_database_refuses_an_approval_by_the_proposer(demo_users: dict) -> None:
    from django.db import IntegrityError, transaction

    beheer = demo_users["beheer"]
    grant = RoleGrant.objects.create(
        user=demo_users["consulent2"], group=Group.objects.get(name=LEADS), proposed_by=beheer
    )
    grant.status, grant.decided_by = GrantStatus.APPROVED, beheer
    with pytest.raises(IntegrityError), transaction.atomic():
        grant.save()


def test_revoking_a_role_takes_effect_at_once_and_every_step_is_audited(
    signed_in, demo_users: dict, accomplice: User, second_admin: User
) -> None:
    client = signed_in("beheer")
    post_groups(client, accomplice, CONSULENT, LEADS)
    other = Client()
    other.force_login(second_admin)
    consulent_grant = RoleGrant.objects.get(user=accomplice, group__name=CONSULENT)
    leads_grant = RoleGrant.objects.get(user=accomplice, group__name=LEADS)
    approve(other, consulent_grant)
    other.post(
        "/beheer/accounts/rolegrant/",
        {"action": "reject", "_selected_action": [leads_grant.pk]},
    )
    data = form_data(client, accomplice)
    data["groups"] = []
    client.post(change_url(accomplice), data)
    assert group_names(accomplice) == set()
    events = AuditEvent.objects.filter(object_type="user", object_id=str(accomplice.pk))
    steps = [(e.action, e.actor, e.detail["role"]) for e in events.order_by("id")]
    assert steps == [
        (Action.ROLE_PROPOSED, "beheer", LEADS),
        (Action.ROLE_PROPOSED, "beheer", CONSULENT),
        (Action.ROLE_APPROVED, "beheer2", CONSULENT),
        (Action.ROLE_REJECTED, "beheer2", LEADS),
        (Action.ROLE_REVOKED, "beheer", CONSULENT),
    ]
    assert "wachtwoord" not in str([e.detail for e in events]).lower()


# ---- passwords and superusers -----------------------------------------------------------


def test_nobody_sets_another_users_password_in_the_admin(signed_in, demo_users: dict) -> None:
    consulent = demo_users["consulent"]
    url = f"/beheer/auth/user/{consulent.pk}/password/"
    client = signed_in("beheer")
    assert client.get(url).status_code == 403
    new = "Gekaapt-wachtwoord-2026"
    client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    consulent.refresh_from_db()
    assert not consulent.check_password(new)
    assert consulent.check_password(DEMO_PASSWORD)  # the positive control: the old one stands


def test_a_new_account_gets_an_activation_link_and_no_password_from_the_admin(
    signed_in, demo_users: dict, settings, django_capture_on_commit_callbacks
) -> None:
    client = signed_in("beheer")
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes after the commit
        response = client.post(
            "/beheer/auth/user/add/",
            {
                "username": "nieuwe",
                "email": "nieuwe@example.org",
                "password1": "Door-de-beheerder-gekozen-1",
                "password2": "Door-de-beheerder-gekozen-1",
                "is_superuser": "on",
                "is_staff": "on",
            },
            follow=True,
        )
    user = User.objects.get(username="nieuwe")
    assert not user.has_usable_password() and not user.is_superuser and not user.is_staff
    assert not Client().login(
        username="nieuwe", password="Door-de-beheerder-gekozen-1", request=HttpRequest()
    )
    (message,) = mail.outbox
    assert message.to == ["nieuwe@example.org"]
    link = re.search(r"http://testserver(/activeren/\S+)", message.body).group(1)
    assert link not in response.content.decode()  # the admin never sees the link
    assert link not in str(list(AuditEvent.objects.values_list("detail", flat=True)))

    # The user sets their own password, and goes on to enrol the second factor.
    settings.OTP_REQUIRED = True
    browser = Client()
    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200 and "new_password1" in form_page.context["form"].fields
    chosen = "Zelf-gekozen-wachtwoord-77"
    done = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": chosen, "new_password2": chosen}
    )
    assert done["Location"] == "/tweestapsverificatie/instellen/"
    user.refresh_from_db()
    assert user.check_password(chosen)
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(user.pk), detail__account="activated"
    ).exists()
    # Once only: the link is void now.
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False


def test_an_activation_link_expires(signed_in, demo_users: dict, settings) -> None:
    from accounts.activation import activation_path

    user = UserFactory(username="traag", email="traag@example.org")
    path = activation_path(user)
    assert Client().get(path, follow=True).context["validlink"] is True  # the control
    settings.PASSWORD_RESET_TIMEOUT = -1  # every link is older than its lifetime
    assert Client().get(path, follow=True).context["validlink"] is False


def test_the_admin_cannot_make_a_superuser_not_even_as_a_superuser(demo_users: dict) -> None:
    root = User.objects.create_superuser("root", password="x-root-niet-gebruikt")
    client = Client()
    client.force_login(root)
    target = demo_users["consulent2"]
    data = form_data(client, target)
    client.post(change_url(target), {**data, "is_superuser": "on"})
    target.refresh_from_db()
    assert not target.is_superuser
    client.post(
        "/beheer/auth/user/add/",
        {"username": "supernieuw", "email": "s@example.org", "is_superuser": "on"},
    )
    assert not User.objects.filter(username="supernieuw", is_superuser=True).exists()
    assert User.objects.filter(username="supernieuw").exists()  # the control: the add worked


def test_createsuperuser_on_the_server_is_audited(db: None, monkeypatch) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Server-wachtwoord-99")
    call_command(
        "createsuperuser",
        "--noinput",
        username="nood",
        email="nood@example.org",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    user = User.objects.get(username="nood")
    event = AuditEvent.objects.get(object_type="user", object_id=str(user.pk))
    assert event.action == Action.CREATE
    assert event.detail == {"superuser": "granted"}
    assert event.actor.startswith("command:")
    assert "Server-wachtwoord-99" not in str(event.detail)
