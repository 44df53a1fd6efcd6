"""Benchmark: how long pages take, cold, one user (issue 12, item 9).

    python bench/pages.py                                   # the scale-10 bench database
    python bench/pages.py --db postgres://postgres@127.0.0.1:5432/shahrak_bench_s1 --repeat 20

In one process on the given database, signed in as the demo administrator (the whole nation), each
page is asked `--repeat` times through Django's test client — the whole middleware, view and
template — after one warm-up. The figure cache is off (FIGURE_CACHE_SECONDS=0), so every dashboard
computes its figures: that is the cold case. For each page it prints p50 / p95 / best of the whole
request, and beside it the time spent in the database (every statement's execution, timed by a
`connection.execute_wrapper`) and the rest (Python: the view, the tables, the template).

Targets (issue 12, item 9): the dashboard's p95 ≤ 300 ms at scale 10; list pages' p95 ≤ 50 ms at
1M units. This prints; it does not assert.
"""

import argparse
import os
import statistics
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("dashboard 1401", "/?year=1401"),
    ("dashboard 1401 IR-23", "/?year=1401&scope=IR-23"),
    ("units", "/units/"),
    ("units page 3", "/units/?page=3"),
    ("unit events", "/unit-events/"),
    ("projects", "/projects/"),
    ("payments", "/payments/"),
    ("estates", "/estates/"),
    ("workshops", "/workshops/"),
    ("land contracts", "/land/contracts/"),
    ("units search", "/units/?q=1402"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/shahrak_bench_s10")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--only", help="only pages whose name contains this")
    parser.add_argument(
        "--slowest", type=int, default=0, help="also print each page's N slowest statements and their caller"
    )
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.db
    os.environ["FIGURE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shahrak.settings")
    os.environ.setdefault("SHAHRAK_DEFAULT_YEAR", "1401")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("shahrak.requests").setLevel(logging.WARNING)  # one JSON line per request: not here
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from shahrak.units.models import ProductionUnit

    client = Client()
    client.force_login(get_user_model().objects.get(username=args.user))
    spent = {"sql": 0.0, "queries": 0}
    statements: list[tuple[float, str, str]] = []

    def caller() -> str:
        # The innermost frame of Shahrak's own code (not Django's) that ran the statement.
        for frame in reversed(traceback.extract_stack()[:-3]):
            if "/shahrak/" in frame.filename and "/bench/" not in frame.filename:
                return f"{frame.filename.split('/shahrak/', 1)[1]}:{frame.lineno} {frame.name}"
        return "?"

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - start
            spent["sql"] += took
            spent["queries"] += 1
            if args.slowest:
                statements.append((took * 1000, sql, caller()))

    print(
        f"database {args.db} ({connection.vendor}), {ProductionUnit.objects.count():,} units; "
        f"{args.repeat} requests per page after a warm-up, figure cache off; load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"\n{'page':24} {'p50 ms':>8} {'p95 ms':>8} {'best':>7} {'sql p50':>8} {'rest p50':>9} {'queries':>8}"
    )
    with connection.execute_wrapper(timed):
        for name, url in PAGES:
            if args.only and args.only not in name:
                continue
            response = client.get(url)
            if response.status_code != 200:
                print(f"{name:24} status {response.status_code}: skipped")
                continue
            total, sql, queries = [], [], 0
            for _ in range(args.repeat):
                spent.update(sql=0.0, queries=0)
                statements.clear()
                start = time.perf_counter()
                response = client.get(url)
                total.append((time.perf_counter() - start) * 1000)
                sql.append(spent["sql"] * 1000)
                queries = spent["queries"]
                assert response.status_code == 200, (url, response.status_code)
            rest = [t - s for t, s in zip(total, sql, strict=True)]
            print(
                f"{name:24} {statistics.median(total):8.0f} {percentile(total, 0.95):8.0f} {min(total):7.0f} "
                f"{statistics.median(sql):8.0f} {statistics.median(rest):9.0f} {queries:8}"
            )
            # The last request's slowest statements, to say where a page's database time goes.
            for took, sql_text, where in sorted(statements, reverse=True)[: args.slowest]:
                print(f"    {took:7.1f} ms  {where}  {' '.join(sql_text.split())[:110]}")
    print(
        f"\nload after {os.getloadavg()[0]:.1f}. Targets: dashboard p95 ≤ 300 ms (scale 10), lists p95 ≤ 50 ms (1M units)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
