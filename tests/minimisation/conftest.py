"""Helpers for the minimisation pages' tests (intakes: tests/factories.py, make_intake:
tests/conftest.py)."""

import re

from django.test import Client
from django.urls import reverse

from intake.models import Intake


def preview_url(intake: Intake) -> str:
    return reverse("minimisation:preview", args=[intake.pk])


def preview_form(client: Client, intake: Intake) -> dict[str, str]:
    """GET the preview and return what its finalise form posts (its hidden inputs)."""
    html = client.get(preview_url(intake)).content.decode()
    form = html[html.index('data-testid="finalise-form"') :]
    form = form[: form.index("</form>")]
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
