"""Selecting residents and intakes: QuerySet methods used by the caseworker pages."""

import contextlib
import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.db import models

from intake.bsn import normalise_bsn

if TYPE_CHECKING:
    from intake.models import Intake, Resident  # noqa: F401 - named in the generic bases


class ResidentQuerySet(models.QuerySet["Resident"]):
    def matching(self, term: str) -> "ResidentQuerySet":
        """Residents whose name contains `term`, or whose BSN or birth date equals it."""
        term = term.strip()
        if not term:
            return self.none()
        condition = models.Q(name__icontains=term)
        bsn = normalise_bsn(term)
        if bsn.isdigit() and len(bsn) == 9:
            condition |= models.Q(bsn=bsn)
        birth_date = parse_dutch_or_iso_date(term)
        if birth_date is not None:
            condition |= models.Q(date_of_birth=birth_date)
        return self.filter(condition)


class IntakeQuerySet(models.QuerySet["Intake"]):
    def newest_first(self) -> "IntakeQuerySet":
        """The list's order: newest change first, the id breaking ties (a stable order for
        paging)."""
        return self.order_by("-updated_at", "-pk")

    def page_rows(self, offset: int, limit: int) -> list["Intake"]:
        """One page of the list with each intake's resident, in one query.

        The page's ids are sorted and cut in a subquery that reads only (id, updated_at),
        then the 20 rows are joined to their residents. Joining first made PostgreSQL join
        the resident (and the caseworker) to every visible intake before sorting, 9,000
        buffer reads for a caseworker with 1,000 intakes; prefetching the residents instead
        cost a second query per page (make bench, 100k intakes, 1,000 visible).
        """
        ids = self.newest_first().values("pk")[offset : offset + limit]
        rows = self.model._default_manager.filter(pk__in=ids).select_related("resident")
        return list(rows.order_by("-updated_at", "-pk"))

    def search(self, term: str) -> "IntakeQuerySet":
        """By resident name (contains) or by the resident's pseudonymous reference."""
        term = term.strip()
        if not term:
            return self
        condition = models.Q(resident__name__icontains=term)
        with contextlib.suppress(ValueError):
            condition |= models.Q(resident__ref=uuid.UUID(term))
        return self.filter(condition)


def parse_dutch_or_iso_date(text: str) -> dt.date | None:
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None
