"""Paging the intake list."""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator


class CountedPaginator(Paginator):
    """A Paginator told its total up front, for when a cheaper query than COUNT(*) over the
    page's own query knows it (intake.access.count_visible_intakes for the unfiltered list)."""

    def __init__(self, object_list: Sequence[Any], per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: pre-filled
