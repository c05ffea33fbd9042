"""Paging the intake list."""

from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator

from intake.querysets import IntakeQuerySet

if TYPE_CHECKING:
    from intake.models import Intake


class IntakePaginator(Paginator["Intake"]):
    """Pages of intakes, newest change first, each page one query (IntakeQuerySet.page_rows).

    `count` may be given up front when a cheaper query than COUNT(*) over the list's own
    query knows it (intake.access.count_visible_intakes for the unfiltered list).
    """

    def __init__(self, intakes: IntakeQuerySet, per_page: int, *, count: int | None = None) -> None:
        super().__init__(intakes, per_page)
        self.intakes = intakes
        if count is not None:
            self.__dict__["count"] = count  # Paginator.count is a cached_property: pre-filled

    def page(self, number: int | str) -> Page["Intake"]:
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        return Page(self.intakes.page_rows(offset, self.per_page), number, self)
