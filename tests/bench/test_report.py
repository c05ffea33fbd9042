"""The benchmark harness's pure parts: the table it prints (no timings measured here)."""

from bench.report import Row, render


def test_the_table_shows_median_spread_ratio_and_a_missed_target() -> None:
    rows = [
        Row("page: floor", "1,000 intakes", "p95 latency", "ms", [10.0, 12.0, 20.0]),
        Row(
            "page: intake detail",
            "1,000 intakes",
            "p95 latency",
            "ms",
            [30.0, 40.0, 50.0],
            ratio=40.0 / 12.0,
            ratio_of="floor",
            target="<=3x floor",
            met=False,
        ),
    ]
    lines = render(rows).splitlines()
    assert lines[0].split(" | ")[0].strip() == "measure"
    detail = lines[3]
    assert "40.0" in detail and "±10.0" in detail and "3.33x floor" in detail
    assert detail.rstrip().endswith("NO")
    assert lines[2].rstrip().endswith("|")  # no target: the met column stays empty


def test_the_median_and_spread_of_a_row_come_from_its_runs() -> None:
    row = Row("x", "1", "throughput", "rows/s", [3.0, 1.0, 2.0])
    assert (row.median, row.spread) == (2.0, 2.0)
