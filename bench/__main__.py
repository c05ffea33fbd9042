"""`make bench`: seed PostgreSQL at several sizes, measure, print one table, write JSON.

Every comparison is a ratio measured in the same run, because these machines are shared.
"""

import argparse
import os
import statistics
import sys
import time

from bench import db
from bench.report import Row, render, write


def use_softhsm_token() -> None:
    """The keys in SoftHSM2, as in the tests: the token in the environment, or one of the
    benchmark's own under .softhsm/bench (the key file only without SoftHSM2)."""
    from pathlib import Path

    from vault import softhsm

    if not os.environ.get("PKCS11_PIN") and softhsm.available():
        root = Path(__file__).resolve().parent.parent
        os.environ.update(softhsm.ensure_token(root / ".softhsm" / "bench"))


def main() -> int:
    parser = argparse.ArgumentParser(prog="make bench")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per run")
    parser.add_argument("--finalise-count", type=int, default=300)
    parser.add_argument("--export-sizes", default="100000,1000000")
    parser.add_argument("--sweep-size", type=int, default=100_000)
    parser.add_argument("--crypto-size", type=int, default=1000, help="intakes, crypto stage")
    parser.add_argument("--rotate-size", type=int, default=1_000_000, help="data keys rotated")
    parser.add_argument(
        "--audit-sizes",
        default="1000000,10000000",
        help="events for the audit_scale stage (each seeded afresh over 12 months)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma list: pages,finalise,audit,export,sweep,audit_scale,crypto",
    )
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))

    use_softhsm_token()
    url = db.bench_url(os.environ.get("DATABASE_URL", ""))
    db.recreate(url)
    db.use(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    rows: list[Row] = []
    sizes = [int(s) for s in args.sizes.split(",")]

    from bench import stages

    for name, stage in stages.STAGES.items():
        if only and name not in only:
            continue
        print(f"-- {name}", file=sys.stderr, flush=True)
        rows += stage(args, sizes)

    elapsed = time.perf_counter() - started
    print(render(rows))
    path = write(rows, {"args": vars(args), "elapsed_s": round(elapsed, 1)})
    print(f"\n{len(rows)} rows in {elapsed:.0f} s; JSON: {path}")
    return 0


def median(values: list[float]) -> float:
    return statistics.median(values)


if __name__ == "__main__":
    sys.exit(main())
