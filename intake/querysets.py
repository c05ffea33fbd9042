"""Selecting residents and intakes: QuerySet methods used by the caseworker pages.

Names, BSNs and birth dates are ciphertext in the database; they are found through the
blind index (vault/blind.py): whole name words, the exact BSN, the exact birth date.
"""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import models

from audit.refs import as_uuid
from intake.bsn import normalise_bsn
from vault import blind
from vault.fields import SealedQuerySet

if TYPE_CHECKING:
    from intake.models import DomainAssessment, Intake, Resident  # noqa: F401 - generic bases


def name_condition(term: str, prefix: str = "") -> models.Q | None:
    """Every word of `term` is a word of the name (any order, case and accents ignored)."""
    words = blind.name_words(term)
    if not words:
        return None
    condition = models.Q()
    for word in words:  # one subquery per word: all of them must match
        condition &= models.Q(**{f"{prefix}pk__in": _residents_with_word(word)})
    return condition


def _residents_with_word(word: str) -> models.QuerySet[Any]:
    from intake.models import ResidentNameToken  # noqa: PLC0415 - models import this module

    return ResidentNameToken.objects.filter(digest__in=blind.digests("name", word)).values(
        "resident_id"
    )


class ResidentQuerySet(SealedQuerySet["Resident"]):
    def with_bsn(self, bsn: str) -> "ResidentQuerySet":
        """The resident with this BSN (normalised first), through its blind index."""
        bsn = normalise_bsn(bsn)
        if not bsn:
            return self.none()
        return self.filter(bsn_index__in=blind.digests("bsn", bsn))

    def matching(self, term: str) -> "ResidentQuerySet":
        """Residents whose name has every word of `term`, or whose BSN or birth date
        equals it."""
        term = term.strip()
        if not term:
            return self.none()
        condition = name_condition(term) or models.Q(pk__in=[])
        bsn = normalise_bsn(term)
        if bsn.isdigit() and len(bsn) == 9:
            condition |= models.Q(bsn_index__in=blind.digests("bsn", bsn))
        birth_date = parse_dutch_or_iso_date(term)
        if birth_date is not None:
            condition |= models.Q(birth_date_index__in=blind.digests("dob", birth_date.isoformat()))
        return self.filter(condition)


class AssessmentQuerySet(SealedQuerySet["DomainAssessment"]):
    pass


class IntakeQuerySet(SealedQuerySet["Intake"]):
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
        """By resident name words (every word of `term`) or by the resident's
        pseudonymous reference."""
        term = term.strip()
        if not term:
            return self
        condition = name_condition(term, "resident__") or models.Q(pk__in=[])
        ref = as_uuid(term)
        if ref is not None:
            condition |= models.Q(resident__ref=ref)
        return self.filter(condition)


def parse_dutch_or_iso_date(text: str) -> dt.date | None:
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    return None
