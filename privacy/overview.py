"""The minimisation overview: per framework and domain, fields captured, kept and discarded.

Answers the AP's question "do we register more than we need?" from the decision
records alone (counts, never values). Aggregated in the database in three queries,
whatever the number of intakes: kept fields are KeptField rows grouped by framework and
domain; discarded counts live in each record's `discarded_counts` JSON and are summed
with the backend's JSON table function (json_each on SQLite, jsonb_each_text on
PostgreSQL). Captured = kept + discarded: a field not captured was never decided on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils.translation import gettext_lazy as _

from intake.chart import BarChart, Row, bar_chart
from intake.instrument import INSTRUMENTS
from intake.models import Framework
from minimisation.decide import NO_HELP_NEED
from minimisation.models import DecisionRecord, KeptField

GROUP_LABELS = {"resident": _("Inwonergegevens"), "intake": _("Aanvraag en behandeling")}


def group_label(code: str) -> str:
    if code in GROUP_LABELS:
        return str(GROUP_LABELS[code])
    for instr in INSTRUMENTS.values():
        for domain in instr.domains:
            if domain.code == code:
                return str(domain.name)
    return code


@dataclass(frozen=True)
class GroupRow:
    group: str
    label: str
    kept: int
    discarded: int

    @property
    def captured(self) -> int:
        return self.kept + self.discarded


@dataclass(frozen=True)
class FrameworkOverview:
    framework: str
    label: str
    intakes: int
    no_help_need: int
    rows: tuple[GroupRow, ...]

    @property
    def kept(self) -> int:
        return sum(r.kept for r in self.rows)

    @property
    def discarded(self) -> int:
        return sum(r.discarded for r in self.rows)

    @property
    def captured(self) -> int:
        return self.kept + self.discarded


def _discarded_sql() -> str:
    table = DecisionRecord._meta.db_table
    if connection.vendor == "postgresql":
        source = (
            f"{table} d CROSS JOIN LATERAL jsonb_each_text(d.discarded_counts) AS j(key, value)"
        )
        amount = "SUM(CAST(j.value AS integer))"
    else:
        source = f"{table} d, json_each(d.discarded_counts) AS j"
        amount = "SUM(j.value)"
    return (
        f"SELECT d.framework, j.key, {amount} FROM {source} "  # noqa: S608 - no user input
        "WHERE d.decided_on >= %s AND d.decided_on <= %s GROUP BY d.framework, j.key"
    )


def overview(start: dt.date, end: dt.date) -> list[FrameworkOverview]:
    """Decisions taken from `start` to `end` (both inclusive), per framework and domain."""
    decisions = DecisionRecord.objects.filter(decided_on__gte=start, decided_on__lte=end)
    totals: dict[str, Any] = {
        row["framework"]: row
        for row in decisions.values("framework").annotate(
            intakes=Count("id"), no_help_need=Count("id", filter=Q(outcome=NO_HELP_NEED))
        )
    }
    group = Case(
        When(domain="", field__startswith="resident.", then=Value("resident")),
        When(domain="", then=Value("intake")),
        default=F("domain"),
        output_field=CharField(),
    )
    kept: dict[tuple[str, str], int] = {
        (row["framework"], row["group"]): row["n"]
        for row in KeptField.objects.filter(
            decision__decided_on__gte=start, decision__decided_on__lte=end
        )
        .annotate(group=group, framework=F("decision__framework"))
        .values("framework", "group")
        .annotate(n=Count("id"))
        .order_by()
    }
    with connection.cursor() as cursor:
        cursor.execute(_discarded_sql(), [start, end])
        discarded = {(fw, key): int(n or 0) for fw, key, n in cursor.fetchall()}
    result = []
    for framework, label in Framework.choices:
        groups = {g for fw, g in (*kept, *discarded) if fw == framework}
        rows = tuple(
            GroupRow(
                g, group_label(g), kept.get((framework, g), 0), discarded.get((framework, g), 0)
            )
            for g in _ordered(groups)
        )
        total = totals.get(framework, {})
        result.append(
            FrameworkOverview(
                framework,
                str(label),
                total.get("intakes", 0),
                total.get("no_help_need", 0),
                rows,
            )
        )
    return result


def _ordered(groups: set[str]) -> list[str]:
    """Resident and request data first, then domains in ZRM 2017 order, then the rest."""
    order = ["resident", "intake"]
    for instr in INSTRUMENTS.values():
        order += [d.code for d in instr.domains if d.code not in order]
    return sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))


CSV_HEADER = (
    "kader",
    "domein",
    "vastgelegd",
    "bewaard",
    "vernietigd",
    "intakes_in_kader",
    "intakes_zonder_hulpvraag",
)


def as_csv(frameworks: list[FrameworkOverview]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for fw in frameworks:
        for row in fw.rows:
            writer.writerow(
                (fw.framework, row.group, row.captured, row.kept, row.discarded)
                + (fw.intakes, fw.no_help_need)
            )
    return out.getvalue()


# --- Chart (server-rendered SVG, drawn by templates/_bar_chart.svg.html) ---------------


def chart(fw: FrameworkOverview, scale_max: int) -> BarChart:
    """Stacked horizontal bars: kept (dark) then discarded (light), same scale for all."""
    return bar_chart(
        [
            Row(
                row.label,
                [(row.kept, "overview-kept"), (row.discarded, "overview-discarded")],
                note=f"{row.kept} / {row.discarded}",
                note_class="zrm-tick",
            )
            for row in fw.rows
        ],
        scale_max=scale_max,
        html_id=f"grafiek-{fw.framework}",
        title=_(
            "Bewaard en vernietigd per domein, %(label)s; de tabel ernaast geeft dezelfde cijfers."
        )
        % {"label": fw.label},
        css_class="overview-chart",
    )


def scale_max(frameworks: list[FrameworkOverview]) -> int:
    return max((r.captured for fw in frameworks for r in fw.rows), default=1)
