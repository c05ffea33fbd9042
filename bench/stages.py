"""The measurements. Each stage returns table rows; ratios compare within this run."""

import argparse
import statistics
from collections.abc import Callable

from bench import seed
from bench.report import Row

LIST_PATH = "/intakes/"
FLOOR_PATH = "/bench/floor/"


def pages(args: argparse.Namespace, sizes: list[int]) -> list[Row]:
    from bench.pages import gunicorn, queries_per_request, session_cookie, wrk
    from intake.models import Intake

    cast = seed.caseworkers()
    me = cast.measured
    cookie = session_cookie(me)
    rows: list[Row] = []
    seeded = 0
    for size in sizes:
        seed.intakes(cast, size - seeded, seed=size)
        seeded = size
        mine = Intake.objects.filter(caseworker_id=me).order_by("-pk")
        own = mine.first()
        term = own.resident.name
        paths = {
            "floor (trivial view)": FLOOR_PATH,
            "intake list, page 1": LIST_PATH,
            "intake list, search": f"{LIST_PATH}?q={term.replace(' ', '+')}",
            "intake detail": f"{LIST_PATH}{own.pk}/",
        }
        results: dict[str, list[dict[str, float]]] = {}
        with gunicorn(workers=2) as base:
            for path in paths.values():  # warm both workers
                wrk(base + path, cookie, seconds=1)
            for label, path in paths.items():
                results[label] = [
                    wrk(base + path, cookie, seconds=args.seconds) for _ in range(args.repeat)
                ]
        floor_p95 = statistics.median(r["p95"] for r in results["floor (trivial view)"])
        for label, runs in results.items():
            status, queries = queries_per_request(me, paths[label])
            p95 = [r["p95"] for r in runs]
            is_floor = label.startswith("floor")
            rows.append(
                Row(
                    measure=f"page: {label}",
                    size=f"{size:,} intakes",
                    metric="p95 latency",
                    unit="ms",
                    runs=p95,
                    ratio=None if is_floor else statistics.median(p95) / floor_p95,
                    ratio_of="" if is_floor else "floor",
                    target="" if is_floor else "<100 ms, <=3x floor",
                    met=None
                    if is_floor
                    else statistics.median(p95) < 100 and statistics.median(p95) / floor_p95 <= 3,
                    notes={
                        "p50_ms": statistics.median(r["p50"] for r in runs),
                        "rps": statistics.median(r["rps"] for r in runs),
                        "errors": sum(r["errors"] for r in runs),
                        "status": status,
                        "queries": queries,
                    },
                )
            )
            rows.append(
                Row(
                    measure=f"page: {label}",
                    size=f"{size:,} intakes",
                    metric="median latency",
                    unit="ms",
                    runs=[r["p50"] for r in runs],
                    notes={"queries_per_request": queries, "status": status},
                )
            )
    return rows


def audit(args: argparse.Namespace, sizes: list[int]) -> list[Row]:
    from bench.audit_write import concurrent_events_per_second, per_event_costs

    cast = seed.caseworkers()
    ids = seed.intakes(cast, 500, seed=7)
    runs = [per_event_costs(ids) for _ in range(args.repeat)]
    ours = [r["ours_event_s"] * 1e6 for r in runs]
    theirs = [r["auditlog_event_s"] * 1e6 for r in runs]
    ratio = statistics.median(ours) / statistics.median(theirs)
    eps = [concurrent_events_per_second() for _ in range(args.repeat)]
    return [
        Row(
            "audit write: our event (hash chain)",
            "500 changes",
            "cost per event",
            "µs",
            ours,
            ratio=ratio,
            ratio_of="django-auditlog",
            target="<=1.0x django-auditlog",
            met=ratio <= 1.0,
            notes={"plain_save_us": statistics.median(r["plain_s"] * 1e6 for r in runs)},
        ),
        Row("audit write: django-auditlog LogEntry", "500 changes", "cost per event", "µs", theirs),
        Row("audit write: 4 concurrent writers", "2,000 events", "throughput", "events/s", eps),
    ]


STAGES: dict[str, Callable[[argparse.Namespace, list[int]], list[Row]]] = {
    "pages": pages,
    "audit": audit,
}
