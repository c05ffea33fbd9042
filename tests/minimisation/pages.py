"""The preview page as a caseworker uses it: its URL and what its finalise form posts."""

import re

from django.test import Client
from django.urls import reverse

from intake.models import Intake


def preview_url(intake: Intake) -> str:
    return reverse("minimisation:preview", args=[intake.pk])


def confirm_url(intake: Intake) -> str:
    return reverse("minimisation:confirm", args=[intake.pk])


def preview_form(client: Client, intake: Intake) -> dict[str, str]:
    """GET the confirmation step and return what its finalise form posts: its hidden
    inputs and its checkboxes ticked (the deliberate confirm, and the acceptance of an
    'onbekend' help need where the page asks for it)."""
    html = client.get(confirm_url(intake)).content.decode()
    form = html[html.index('data-testid="finalise-form"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    fields.update(re.findall(r'<input[^>]*type="checkbox" name="(\w+)" value="([^"]*)"', form))
    return fields
