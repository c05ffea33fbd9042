"""Admin: audit events read-only, and a mixin that audits admin page views.

AuditedAdminMixin can be put in front of any ModelAdmin (other apps: please
do) so that every list and detail page of that model writes an ADMIN_VIEW event.
(Without it, AccessAuditMiddleware still logs the page, with fewer details.)
It never stores what was typed into the search box (it could be a name); only
whether a search was made, and the resident reference when the search was one.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.core.exceptions import EmptyResultSet, PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from audit.context import AuditContext
from audit.events import record
from audit.middleware import AUDITED_FLAG
from audit.models import Action, AuditEvent
from audit.refs import ref_text

if TYPE_CHECKING:  # the mixin goes in front of a ModelAdmin; a ModelAdmin for mypy only
    _AdminBase = admin.ModelAdmin[Model]
else:
    _AdminBase = object


class RightBeforeObjectMixin(_AdminBase):
    """The history page checks the right before it looks the object up.

    Django does it the other way round: a missing object redirects, an existing one is a
    403, which tells anyone whether an id exists. With the right first, both are a 403.
    (accounts.user_admin puts this in front of every registered ModelAdmin.)
    """

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


class AuditedAdminMixin(RightBeforeObjectMixin):
    """Writes ADMIN_VIEW for changelist, change (view) and history pages."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        search = request.GET.get("q", "")
        self._audit_view(
            request,
            response,
            "changelist",
            resident_ref=ref_text(search),
            searched=bool(search),
        )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self._audit_view(request, response, "change", object_id=object_id)
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().history_view(request, object_id, extra_context)
        self._audit_view(request, response, "history", object_id=object_id)
        return response

    def _audit_view(
        self,
        request: HttpRequest,
        response: HttpResponse,
        page: str,
        *,
        object_id: str = "",
        resident_ref: str = "",
        searched: bool = False,
    ) -> None:
        if response.status_code >= 400:
            return  # denials are logged by AccessAuditMiddleware
        setattr(request, AUDITED_FLAG, True)  # the middleware need not log it again
        detail: dict[str, Any] = {
            "page": page,
            "model": f"{self.model._meta.app_label}.{self.model._meta.model_name}",
        }
        if object_id and str(object_id).isdigit():
            detail["object_id"] = str(object_id)[:20]
        if page == "changelist":
            detail["searched"] = searched
        record(
            Action.ADMIN_VIEW,
            AuditContext.for_request(request),
            resident_ref=resident_ref,
            detail=detail,
        )


class PeriodFilter(admin.SimpleListFilter):
    """The period shown: the last 7 days unless the page asks otherwise, so the list opens on
    a few partitions' worth, not on millions of rows. A search (an exact, indexed resident
    reference) or a date filter of its own looks at all time."""

    title = _("periode")
    parameter_name = "periode"
    DAYS = {"7d": 7, "30d": 30, "365d": 365}

    def __init__(self, request: HttpRequest, params: dict[str, list[str]], *args: Any) -> None:
        self._asked_otherwise = bool(request.GET.get("q")) or any(
            key.startswith("ts__") for key in request.GET
        )
        super().__init__(request, params, *args)

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, StrOrPromise]]:
        return [
            ("7d", _("laatste 7 dagen")),
            ("30d", _("laatste 30 dagen")),
            ("365d", _("laatste jaar")),
            ("alles", _("alles")),
        ]

    def value(self) -> str:
        return super().value() or ("alles" if self._asked_otherwise else "7d")

    def choices(self, changelist: Any) -> Any:
        # No "Alle" entry of Django's own: "alles" is one of the lookups, 7 days the default.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        days = self.DAYS.get(self.value())
        if days is None:
            return queryset
        return queryset.filter(ts__gte=timezone.now() - dt.timedelta(days=days))


class EstimatedCountPaginator(Paginator[AuditEvent]):
    """Counts exactly up to ESTIMATE_ABOVE rows; past that, PostgreSQL's planner estimate
    (EXPLAIN) instead of a COUNT(*) over millions of rows. The last page numbers may then be
    a little off; the rows on each page are exact."""

    ESTIMATE_ABOVE = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor != "postgresql" or not isinstance(queryset, QuerySet):
            return super().count
        try:
            sql, params = queryset.query.sql_with_params()
        except EmptyResultSet:  # queryset.none(): a search that cannot match
            return 0
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        if estimate > self.ESTIMATE_ABOVE:
            return estimate
        # Few rows: a bounded exact count (at most ESTIMATE_ABOVE + 1 rows are read).
        return queryset[: self.ESTIMATE_ABOVE + 1].count()


class DutchTimeDateFilter(admin.DateFieldListFilter):
    """Django's date filter counts days in TIME_ZONE (Europe/Amsterdam): its title says so."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.title = str(_("tijdstip (Nederlandse tijd)"))


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdminMixin, admin.ModelAdmin[AuditEvent]):
    # ts is stored in UTC; the admin shows it in Europe/Amsterdam and says so (when_local).
    list_display = (
        "when_local",
        "action",
        "outcome",
        "actor",
        "actor_role",
        "object_type",
        "object_id",
    )
    list_filter = (PeriodFilter, "action", "outcome", ("ts", DutchTimeDateFilter))
    # Newest first: what a reader looks for, and the id index read backwards.
    ordering = ("-id",)
    search_fields = ("resident_ref",)
    search_help_text = _("Zoek op inwonerreferentie (UUID, exact).")
    show_full_result_count = False  # a second COUNT(*) over millions of rows buys nothing
    paginator = EstimatedCountPaginator
    # Rendering the rows is most of the page (make bench: 30 ms of SQL, the rest template).
    list_per_page = 50
    readonly_fields = ["when_local"] + [f.name for f in AuditEvent._meta.fields if f.name != "ts"]
    fields = tuple(readonly_fields)

    @admin.display(description=_("tijdstip (Nederlandse tijd)"), ordering="ts")
    def when_local(self, event: AuditEvent) -> str:
        return timezone.localtime(event.ts).strftime("%d-%m-%Y %H:%M:%S %Z")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[AuditEvent], search_term: str
    ) -> tuple[QuerySet[AuditEvent], bool]:
        """Exact match on the indexed resident_ref; no LIKE, no scan of `detail`."""
        if not search_term.strip():
            return queryset, False
        ref = ref_text(search_term)
        return (queryset.filter(resident_ref=ref) if ref else queryset.none()), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
