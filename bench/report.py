"""One table, printed and written as JSON: median and spread of repeated runs."""

import json
import platform
import statistics
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    measure: str
    size: str
    metric: str
    unit: str
    runs: list[float]
    ratio: float | None = None
    ratio_of: str = ""
    target: str = ""
    met: bool | None = None
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return statistics.median(self.runs)

    @property
    def spread(self) -> float:
        return max(self.runs) - min(self.runs) if self.runs else 0.0


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def render(rows: list[Row]) -> str:
    header = ("measure", "size", "metric", "median", "spread", "unit", "ratio", "target", "met")
    lines = [header]
    for r in rows:
        lines.append(
            (
                r.measure,
                r.size,
                r.metric,
                _fmt(r.median),
                "±" + _fmt(r.spread / 2),
                r.unit,
                f"{r.ratio:.2f}x {r.ratio_of}".strip() if r.ratio is not None else "",
                r.target,
                "" if r.met is None else ("yes" if r.met else "NO"),
            )
        )
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append(" | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)))
        if n == 0:
            out.append("-+-".join("-" * w for w in widths))
    return "\n".join(out)


def machine() -> dict[str, object]:
    import os

    return {
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def write(rows: list[Row], meta: dict[str, object]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {
        "when": stamp,
        "machine": machine(),
        **meta,
        "rows": [asdict(r) | {"median": r.median, "spread": r.spread} for r in rows],
    }
    path = RESULTS / f"bench-{stamp}.json"
    path.write_text(json.dumps(payload, indent=2, default=str))
    (RESULTS / "latest.json").write_text(path.read_text())
    return path
