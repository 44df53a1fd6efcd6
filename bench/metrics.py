"""Benchmark: every figure of a year, per scope, by the metrics engine, hand-written SQL and DuckDB.

    python bench/metrics.py                      # the four databases below, year 1401
    python bench/metrics.py --db postgres://postgres@127.0.0.1:5432/shahrak_bench_s10
    python bench/metrics.py --load               # first load the demo where a database is empty
    python bench/metrics.py --province IR-23 --county 2301 --estate 2301-02   # the scopes (defaults)

Each database is measured in its own process (Django reads DATABASE_URL at start-up). In that
process, for each scope (the nation, a province, a county and an estate — by default the county's
estate with the most payments), the engine's `compute_all(year, scope)` and a hand-written raw SQL
computation of the same figures run in the same connection. The SQL shares passes the way the
engine does (payments and estates read once, the rates once, idle units at D once, targets of the
same period reuse the figures), so the ratio compares like with like; it reads the plain schema
(a payment's place through its project and estate), not the engine's stored copies.

On PostgreSQL the same hand-written SQL also runs on DuckDB (the `bench` extra: pip install -e
.[bench]) over the same rows: the tables are copied into an in-process DuckDB before timing (COPY
to CSV, read back; DuckDB's postgres extension would need a download at run time).

All are warmed up, then timed in turns (interleaved) several times; median and best are printed,
with engine ÷ SQL and engine ÷ DuckDB. The engine's and the SQL's results are compared figure by
figure (and DuckDB's with the SQL's), and the run fails if they disagree. For `idle_units`,
several SQL shapes are timed and the fastest is the baseline on each of PostgreSQL and DuckDB.

"repeated" is the same figures asked again with no write since, from the figure cache (issue 12,
item 8: at most 20 ms); the other engine column computes every time (the cache is off for it).

Targets (issue 12, item 7): all figures of a year for each scope at scale 10 on PostgreSQL no
slower than DuckDB over the same rows (ratio ≤ 1.0), growing at most ×3 from scale 1 to 10. This
is a benchmark, not a test: it prints, it does not assert times.
"""

import argparse
import bisect
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASES = {
    "SQLite s1": ("sqlite:/tmp/metrics-var-s1", 1),
    "SQLite s10": ("sqlite:/tmp/metrics-var-s10", 10),
    "PostgreSQL s1": ("postgres://postgres@127.0.0.1:5432/shahrak_bench_s1", 1),
    "PostgreSQL s10": ("postgres://postgres@127.0.0.1:5432/shahrak_bench_s10", 10),
}
CENT = Decimal("0.01")
DEPRIVED = ("whole", "partial")


@dataclass(frozen=True)
class Place:
    """The scope of a hand-written computation: nation, a province, a county or an estate.

    `counties` are the ids of the counties in scope (a province's, the county, the estate's county);
    `on()` gives the SQL condition that keeps a row in scope from the columns holding its county
    and its estate (ids inlined: they are integers read from the database).
    """

    level: str = "nation"
    pk: int | None = None
    counties: tuple = ()

    @property
    def nation(self) -> bool:
        return self.level == "nation"

    def on(self, county: str | None = None, estate: str | None = None) -> str:
        if self.level == "nation":
            return ""
        if self.level == "estate":
            return f" AND {estate} = {int(self.pk)}"
        return f" AND {county} IN ({', '.join(str(int(c)) for c in self.counties)})"

    def on_unit(self, county: str, unit: str) -> str:
        """The condition for events that carry their county but not their estate."""
        if self.level == "estate":
            return f" AND {unit} IN (SELECT id FROM units_productionunit WHERE estate_id = {int(self.pk)})"
        return self.on(county)


NATION_PLACE = Place()


# ---- the hand-written SQL ------------------------------------------------------------------------


def rows(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


def as_date(value):
    """SQLite returns dates as text from raw SQL."""
    import datetime as dt

    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def estate_passes(cursor, start, end, place=NATION_PLACE):
    """One pass over the estates (and one over the workshops) for the three estate figures."""
    licensed, deprived = empty_counts(), empty_counts()
    for iso, kind, in_period, is_deprived, count in rows(
        cursor,
        """SELECT pr.iso_code, e.kind, e.licence_date >= %s,
                  c.deprivation IN ('whole', 'partial'), COUNT(*)
           FROM estates_estate e JOIN regions_county c ON c.id = e.county_id
           JOIN regions_province pr ON pr.id = c.province_id
           WHERE e.licence_date <= %s"""
        + place.on("e.county_id", "e.id")
        + " GROUP BY 1, 2, 3, 4",
        [start, end],
    ):
        if in_period:
            add_count(licensed, iso, kind, count)
        if is_deprived:
            add_count(deprived, iso, kind, count)
    workshops = empty_counts()
    for iso, kind, count in rows(
        cursor,
        """SELECT pr.iso_code, e.kind, COUNT(*) FROM estates_workshopunit w
           JOIN estates_estate e ON e.id = w.estate_id JOIN regions_county c ON c.id = e.county_id
           JOIN regions_province pr ON pr.id = c.province_id
           WHERE w.opened_date BETWEEN %s AND %s"""
        + place.on("e.county_id", "w.estate_id")
        + " GROUP BY pr.iso_code, e.kind",
        [start, end],
    ):
        add_count(workshops, iso, kind, count)
    return {
        "workshops_opened": settle(workshops),
        "estates_in_deprived_areas": settle(deprived),
        "estates_licensed": settle(licensed),
    }


def empty_counts():
    return {"total": 0, "province": defaultdict(int), "estate_kind": defaultdict(int)}


def add_count(counts, iso, kind, count):
    counts["total"] += count
    counts["province"][iso] += count
    counts["estate_kind"][kind] += count


def settle(counts):
    return {key: dict(value) if isinstance(value, defaultdict) else value for key, value in counts.items()}


def usd(rials, rate):
    return None if rate is None else (Decimal(rials) / Decimal(rate)).quantize(CENT, ROUND_HALF_UP)


def rate_table(cursor, end):
    """The free-market USD rates up to D, read once; the rate in force on a day is found in memory."""
    found = rows(
        cursor,
        """SELECT date, rials_per_unit FROM money_exchangerate
           WHERE currency = 'USD' AND source = 'free_market' AND date <= %s ORDER BY date""",
        [end],
    )
    days = [as_date(day) for day, _ in found]
    rates = [Decimal(str(rate)) for _, rate in found]

    def in_force(day):
        at = bisect.bisect_right(days, as_date(day))
        return rates[at - 1] if at else None

    return in_force


def payment_pass(cursor, start, end, place=NATION_PLACE):
    """The period's payments read once, grouped by day, category, source and county: the spending
    figure, its breakdowns and the regional balance's per-county spending all come from it."""
    return [
        (as_date(day), category, source, county, int(rials))
        for day, category, source, county, rials in rows(
            cursor,
            """SELECT d.date, p.category, d.funding_source, e.county_id, SUM(d.amount_rials)
               FROM projects_disbursement d JOIN projects_developmentproject p ON p.id = d.project_id
               JOIN estates_estate e ON e.id = p.estate_id
               WHERE d.date BETWEEN %s AND %s"""
            + place.on("e.county_id", "p.estate_id")
            + " GROUP BY 1, 2, 3, 4",
            [start, end],
        )
    ]


def raw_spending(payments, in_force, end):
    per_day, by_category, by_source = defaultdict(int), defaultdict(int), defaultdict(int)
    for day, category, source, _county, rials in payments:
        per_day[day] += rials
        by_category[category] += rials
        by_source[source] += rials
    total = sum(per_day.values())
    rate_end = in_force(end)
    day_rates = {day: in_force(day) for day in per_day}
    missing = any(rate is None for rate in day_rates.values())
    at_dates = sum(
        (Decimal(rials) / day_rates[day] for day, rials in per_day.items() if day_rates[day] is not None),
        Decimal(0),
    )
    return {
        "rials": total,
        "usd_at_period_end": usd(total, rate_end),
        "usd_at_payment_dates": None if missing else at_dates.quantize(CENT, ROUND_HALF_UP),
        "category": dict(by_category),
        "funding_source": dict(by_source),
        "_rate_end": rate_end,
    }


def raw_underway(cursor, start, end, place=NATION_PLACE):
    join = "" if place.nation else " JOIN estates_estate e ON e.id = p.estate_id"
    found = rows(
        cursor,
        f"""SELECT p.category, COUNT(*), SUM(p.credit_rials) FROM projects_developmentproject p{join}
           WHERE p.start_date <= %s AND (p.actual_end_date IS NULL OR p.actual_end_date > %s)
             AND (p.stopped_date IS NULL OR p.stopped_date > %s)"""
        + place.on("e.county_id", "p.estate_id")
        + " GROUP BY p.category",
        [end, end, end],
    )
    return {
        "count": sum(n for _, n, _ in found),
        "credit_rials": sum(int(c) for _, _, c in found),
        "category": {cat: (n, int(c)) for cat, n, c in found},
    }


def raw_planned(cursor, start, end, place=NATION_PLACE):
    join = "" if place.nation else " JOIN estates_estate e ON e.id = p.estate_id"
    found = rows(
        cursor,
        f"""SELECT p.category, SUM(pd.amount_rials) FROM projects_planneddisbursement pd
           JOIN projects_developmentproject p ON p.id = pd.project_id{join}
           WHERE pd.month_start BETWEEN %s AND %s"""
        + place.on("e.county_id", "p.estate_id")
        + " GROUP BY p.category",
        [start, end],
    )
    return {"rials": sum(int(r) for _, r in found), "category": {cat: int(r) for cat, r in found}}


def raw_revived(cursor, start, end, place=NATION_PLACE):
    join = " JOIN units_productionunit u ON u.id = e.unit_id" if place.level == "estate" else ""
    found = rows(
        cursor,
        f"""SELECT pr.iso_code, COUNT(DISTINCT e.unit_id), COUNT(*), SUM(e.jobs) FROM units_unitevent e
           JOIN regions_county c ON c.id = e.county_id JOIN regions_province pr ON pr.id = c.province_id{join}
           WHERE e.kind = 'revived' AND e.date BETWEEN %s AND %s"""
        + place.on("e.county_id", "u.estate_id")
        + " GROUP BY pr.iso_code",
        [start, end],
    )
    return {
        "units": sum(r[1] for r in found),
        "events": sum(r[2] for r in found),
        "jobs": sum(r[3] for r in found),
        "province": {r[0]: (r[1], r[2], r[3]) for r in found},
    }


def raw_established(cursor, start, end, place=NATION_PLACE):
    found = rows(
        cursor,
        """SELECT CASE WHEN u.employees < 10 THEN 'micro' WHEN u.employees < 50 THEN 'small'
                       WHEN u.employees < 100 THEN 'medium' ELSE 'large' END,
                  CASE WHEN u.knowledge_based_since <= %s THEN 1 ELSE 0 END,
                  i.tech_intensity, COUNT(*)
           FROM units_unitevent e JOIN units_productionunit u ON u.id = e.unit_id
           JOIN units_isicclass i ON i.code = u.isic_id
           WHERE e.kind = 'established' AND e.date BETWEEN %s AND %s"""
        + place.on("u.county_id", "u.estate_id")
        + " GROUP BY 1, 2, 3",
        [end, start, end],
    )
    size, kb, tech = defaultdict(int), defaultdict(int), defaultdict(int)
    for s, k, t, n in found:
        size[s] += n
        kb[bool(k)] += n
        tech[t] += n
    return {
        "total": sum(r[3] for r in found),
        "size_class": dict(size),
        "knowledge_based": dict(kb),
        "tech": dict(tech),
    }


# Idle units at D: the unit's last event on or before D is `idled`. Several shapes; the fastest on
# each database is the baseline. Each returns (county_id, cause, count) rows.
IDLE_SHAPES = {
    # With the cached next-event date and county (shahrak/units/caches.py): two index ranges.
    "cached_ends": (
        """SELECT county_id, cause, SUM(n) FROM (
               SELECT county_id, cause, COUNT(*) AS n FROM units_unitevent
               WHERE kind = 'idled' AND date <= %s AND ends_on IS NULL{events} GROUP BY county_id, cause
               UNION ALL
               SELECT county_id, cause, COUNT(*) AS n FROM units_unitevent
               WHERE kind = 'idled' AND date <= %s AND ends_on > %s{events} GROUP BY county_id, cause) x
           GROUP BY county_id, cause""",
        3,
        None,
    ),
    # From the events alone.
    "not_exists": (
        """SELECT u.county_id, e.cause, COUNT(*) FROM units_unitevent e
           JOIN units_productionunit u ON u.id = e.unit_id
           WHERE e.kind = 'idled' AND e.date <= %s AND NOT EXISTS (
               SELECT 1 FROM units_unitevent l WHERE l.unit_id = e.unit_id AND l.date > e.date AND l.date <= %s){units}
           GROUP BY u.county_id, e.cause""",
        2,
        None,
    ),
    "max_date_join": (
        """SELECT u.county_id, e.cause, COUNT(*)
           FROM (SELECT unit_id, MAX(date) AS last FROM units_unitevent WHERE date <= %s GROUP BY unit_id) m
           JOIN units_unitevent e ON e.unit_id = m.unit_id AND e.date = m.last
           JOIN units_productionunit u ON u.id = e.unit_id
           WHERE e.kind = 'idled'{units} GROUP BY u.county_id, e.cause""",
        1,
        None,
    ),
    "correlated_max": (
        """SELECT u.county_id, e.cause, COUNT(*) FROM units_unitevent e
           JOIN units_productionunit u ON u.id = e.unit_id
           WHERE e.kind = 'idled' AND e.date <= %s AND e.date = (
               SELECT MAX(l.date) FROM units_unitevent l WHERE l.unit_id = e.unit_id AND l.date <= %s){units}
           GROUP BY u.county_id, e.cause""",
        2,
        None,
    ),
    "window_row_number": (
        """SELECT u.county_id, x.cause, COUNT(*) FROM (
               SELECT unit_id, kind, cause,
                      ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY date DESC) AS rn
               FROM units_unitevent WHERE date <= %s) x
           JOIN units_productionunit u ON u.id = x.unit_id
           WHERE x.rn = 1 AND x.kind = 'idled'{units} GROUP BY u.county_id, x.cause""",
        1,
        None,
    ),
    "distinct_on": (
        """SELECT u.county_id, x.cause, COUNT(*) FROM (
               SELECT DISTINCT ON (unit_id) unit_id, kind, cause FROM units_unitevent
               WHERE date <= %s ORDER BY unit_id, date DESC) x
           JOIN units_productionunit u ON u.id = x.unit_id
           WHERE x.kind = 'idled'{units} GROUP BY u.county_id, x.cause""",
        1,
        "postgresql",
    ),
    "lateral_per_unit": (
        """SELECT u.county_id, l.cause, COUNT(*) FROM units_productionunit u
           CROSS JOIN LATERAL (SELECT kind, cause FROM units_unitevent e WHERE e.unit_id = u.id
                               AND e.date <= %s ORDER BY e.date DESC LIMIT 1) l
           WHERE l.kind = 'idled'{units} GROUP BY u.county_id, l.cause""",
        1,
        "postgresql",
    ),
}


def idle_shapes(vendor):
    return {name: shape for name, shape in IDLE_SHAPES.items() if shape[2] in (None, vendor)}


def raw_idle_rows(cursor, shape, end, place=NATION_PLACE):
    sql, n_params, _ = IDLE_SHAPES[shape]
    sql = sql.replace("{events}", place.on_unit("county_id", "unit_id"))
    sql = sql.replace("{units}", place.on("u.county_id", "u.estate_id"))
    return [(county, cause, int(n)) for county, cause, n in rows(cursor, sql, [end] * n_params)]


def raw_idle(idle_rows, county_province):
    cause, province = defaultdict(int), defaultdict(int)
    for county_id, why, n in idle_rows:
        cause[why] += n
        province[county_province[county_id]] += n
    return {"total": sum(n for _, _, n in idle_rows), "cause": dict(cause), "province": dict(province)}


# A target's figure over another period; {in} keeps the rows of the target's scope.
TARGET_SQL = {
    "workshops_opened": "SELECT COUNT(*) FROM estates_workshopunit w JOIN estates_estate e ON e.id = w.estate_id WHERE w.opened_date BETWEEN %s AND %s{in:e.county_id}",
    "units_revived": "SELECT COUNT(DISTINCT unit_id) FROM units_unitevent WHERE kind = 'revived' AND date BETWEEN %s AND %s{in:county_id}",
    "jobs_restored": "SELECT COALESCE(SUM(jobs), 0) FROM units_unitevent WHERE kind = 'revived' AND date BETWEEN %s AND %s{in:county_id}",
    "units_established": "SELECT COUNT(*) FROM units_unitevent WHERE kind = 'established' AND date BETWEEN %s AND %s{in:county_id}",
    "estates_licensed": "SELECT COUNT(*) FROM estates_estate WHERE licence_date BETWEEN %s AND %s{in:county_id}",
    "infrastructure_spending": "SELECT COALESCE(SUM(d.amount_rials), 0) FROM projects_disbursement d JOIN projects_developmentproject p ON p.id = d.project_id JOIN estates_estate e ON e.id = p.estate_id WHERE d.date BETWEEN %s AND %s{in:e.county_id}",
}


def target_sql(metric: str, place: Place) -> str:
    sql = TARGET_SQL[metric]
    at = sql.index("{in:")
    column = sql[at + 4 : sql.index("}", at)]
    return sql[:at] + place.on(column)


def raw_targets(cursor, start, end, figures, place=NATION_PLACE):
    """Like the engine, a target over the same period as the figures reuses them (shared passes);
    only a target of another period is queried."""
    of_period = {
        "workshops_opened": figures["workshops_opened"]["total"],
        "units_revived": figures["units_revived"]["units"],
        "jobs_restored": figures["units_revived"]["jobs"],
        "units_established": figures["units_established"]["total"],
        "estates_licensed": figures["estates_licensed"]["total"],
        "infrastructure_spending": figures["infrastructure_spending"]["rials"],
    }
    if place.level in ("county", "estate"):
        return []  # targets are set for the nation and for provinces only
    of_scope = "province_id IS NULL" if place.nation else f"province_id = {int(place.pk)}"
    targets = rows(
        cursor,
        f"""SELECT metric, start_date, end_date, value FROM targets_target
           WHERE {of_scope} AND start_date <= %s AND end_date >= %s
           ORDER BY start_date, metric, end_date""",
        [end, start],
    )
    found = []
    for metric, t_start, t_end, value in targets:
        t_start, cut = as_date(t_start), min(as_date(t_end), end)
        if (t_start, cut) == (start, end):
            achieved = of_period[metric]
        else:
            achieved = rows(cursor, target_sql(metric, place), [t_start, cut])[0][0]
        found.append((metric, value, int(achieved)))
    return found


def raw_balance(cursor, start, end, idle_rows, counties, payments, place=NATION_PLACE):
    spending = defaultdict(int)
    for _day, _category, _source, county, rials in payments:
        spending[county] += rials
    # Free serviced land: where an estate has plots, the area of its plots that no hold covers on D
    # and have every utility; otherwise industrial less allocated land (DESIGN.md, "Land and workshops").
    land = {
        county: Decimal(str(free)).quantize(Decimal("0.0001"))
        for county, free in rows(
            cursor,
            """SELECT e.county_id, SUM(CASE
                 WHEN EXISTS (SELECT 1 FROM land_plot p WHERE p.estate_id = e.id) THEN COALESCE((
                   SELECT SUM(p.area_m2) / 10000.0 FROM land_plot p
                   WHERE p.estate_id = e.id AND p.has_water AND p.has_electricity AND p.has_gas
                     AND p.has_road AND p.has_telecom
                     AND NOT EXISTS (SELECT 1 FROM land_plothold h WHERE h.plot_id = p.id AND h.start_date <= %s
                                     AND (h.released_on IS NULL OR h.released_on > %s))), 0)
                 ELSE e.industrial_area_ha - e.allocated_area_ha END)
               FROM estates_estate e WHERE e.status = 'operational' AND e.operational_date <= %s"""
            + place.on("e.county_id", "e.id")
            + " GROUP BY e.county_id",
            [end, end, end],
        )
    }
    idle = defaultdict(int)
    for county_id, _, n in idle_rows:
        idle[county_id] += n
    places = [c for c in counties if c["population"] and (place.nation or c["id"] in place.counties)]
    s_total = sum(spending.get(c["id"], 0) for c in places)
    p_total = sum(c["population"] for c in places)
    result = {
        "spending": {c["code"]: spending[c["id"]] for c in places if spending.get(c["id"])},
        "land": {c["code"]: land[c["id"]].quantize(CENT) for c in places if land.get(c["id"])},
        "idle": {c["code"]: idle[c["id"]] for c in places if idle.get(c["id"])},
    }
    if s_total:
        # Gini over counties sorted by per capita: Σⱼ pⱼ (yⱼ Σ_{i<j} pᵢ − Σ_{i<j} pᵢyᵢ) ÷ μ.
        mean = s_total / p_total
        half, below_p, below_py = 0.0, 0.0, 0.0
        for c in sorted(places, key=lambda c: spending.get(c["id"], 0) / c["population"]):
            p, y = c["population"] / p_total, spending.get(c["id"], 0) / c["population"]
            half += p * (y * below_p - below_py)
            below_p += p
            below_py += p * y
        theil = sum(
            (spending[c["id"]] / s_total)
            * math.log((spending[c["id"]] / s_total) / (c["population"] / p_total))
            for c in places
            if spending.get(c["id"])
        )
        groups = defaultdict(lambda: [0, 0])
        for c in places:
            groups[c["province_id"]][0] += spending.get(c["id"], 0)
            groups[c["province_id"]][1] += c["population"]
        between = sum(
            (s / s_total) * math.log((s / s_total) / (p / p_total)) for s, p in groups.values() if s
        )
        result.update(gini=round(half / mean, 9), theil=round(theil, 9), between=round(between, 9))
    # Under-served with capacity (DESIGN.md): small counties with free land or idle units; those
    # funded above the mean per capita are set apart; the rest ranked by the weighted score.
    mean = s_total / p_total if p_total else 0
    candidates = [
        c
        for c in places
        if c["size_class"] == "small" and (land.get(c["id"], 0) > 0 or idle.get(c["id"], 0) > 0)
    ]
    ranked = [c for c in candidates if spending.get(c["id"], 0) / c["population"] <= mean]
    result["ranking"] = []
    if ranked:

        def norm(values):
            low, high = min(values), max(values)
            return [0.0 if high == low else (v - low) / (high - low) for v in values]

        y = norm([spending.get(c["id"], 0) / c["population"] for c in ranked])
        la = norm([float(land.get(c["id"], 0)) * 10_000 / c["population"] for c in ranked])
        idl = norm([idle.get(c["id"], 0) * 10_000 / c["population"] for c in ranked])
        pop = norm([c["population"] for c in ranked])
        scored = sorted(
            (-(2 * (1 - y[i]) + la[i] + idl[i] + 0.5 * pop[i]), c["code"]) for i, c in enumerate(ranked)
        )
        result["ranking"] = [code for _, code in scored[:20]]
    return result


def raw_all(cursor, vendor, start, end, idle_shape, place=NATION_PLACE):
    """Every figure of the period by hand-written SQL, sharing passes as the engine does: the
    payments and the estates are read once, rates once, idle units at D once, and the targets of
    the same period reuse the figures."""
    counties = [
        {"id": i, "code": code, "province_id": prov, "population": pop, "size_class": size}
        for i, code, prov, pop, size in rows(
            cursor, "SELECT id, sci_code, province_id, population, size_class FROM regions_county"
        )
    ]
    province_iso = dict(rows(cursor, "SELECT id, iso_code FROM regions_province"))
    county_province = {c["id"]: province_iso[c["province_id"]] for c in counties}
    idle_rows = raw_idle_rows(cursor, idle_shape, end, place)
    payments = payment_pass(cursor, start, end, place)
    spending = raw_spending(payments, rate_table(cursor, end), end)
    underway = raw_underway(cursor, start, end, place)
    underway["credit_usd_at_period_end"] = usd(underway["credit_rials"], spending.pop("_rate_end"))
    figures = {
        **estate_passes(cursor, start, end, place),
        "infrastructure_spending": spending,
        "projects_underway": underway,
        "planned_spending": raw_planned(cursor, start, end, place),
        "units_revived": raw_revived(cursor, start, end, place),
        "units_established": raw_established(cursor, start, end, place),
        "idle_units": raw_idle(idle_rows, county_province),
        "regional_balance": raw_balance(cursor, start, end, idle_rows, counties, payments, place),
    }
    figures["target_progress"] = raw_targets(cursor, start, end, figures, place)
    return {name: figures[name] for name in FIGURE_ORDER}


FIGURE_ORDER = (
    "workshops_opened",
    "estates_in_deprived_areas",
    "estates_licensed",
    "infrastructure_spending",
    "projects_underway",
    "planned_spending",
    "units_revived",
    "units_established",
    "idle_units",
    "target_progress",
    "regional_balance",
)


# ---- the engine's figures in the same shape ----------------------------------------------------


def nonzero(mapping):
    return {key: value for key, value in mapping.items() if value not in (0, (0, 0), (0, 0, 0), None)}


def column(result, breakdown, *fields):
    out = {}
    for row in result.breakdowns[breakdown]:
        out[row["key"]] = row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields)
    return out


def engine_shape(results):
    def counts(name):
        r = results[name]
        return {
            "total": r.value,
            "province": column(r, "province", "count"),
            "estate_kind": column(r, "estate_kind", "count"),
        }

    spending = results["infrastructure_spending"]
    underway = results["projects_underway"]
    revived = results["units_revived"]
    established = results["units_established"]
    idle = results["idle_units"]
    balance = results["regional_balance"]
    kb = column(established, "knowledge_based", "count")
    shaped_balance = {
        "spending": {
            r["code"]: r["spending_rials"] for r in balance.breakdowns["counties"] if r["spending_rials"]
        },
        "land": {r["code"]: r["free_land_ha"] for r in balance.breakdowns["counties"] if r["free_land_ha"]},
        "idle": {r["code"]: r["idle_units"] for r in balance.breakdowns["counties"] if r["idle_units"]},
        "ranking": [r["key"] for r in balance.breakdowns["ranking"][:20]],
    }
    if balance.value["gini"] is not None:
        shaped_balance.update(
            gini=round(balance.value["gini"], 9),
            theil=round(balance.value["theil"], 9),
            between=round(balance.value["theil_between"], 9),
        )
    return {
        "workshops_opened": counts("workshops_opened"),
        "estates_in_deprived_areas": counts("estates_in_deprived_areas"),
        "estates_licensed": counts("estates_licensed"),
        "infrastructure_spending": {
            "rials": spending.value["rials"],
            "usd_at_period_end": spending.value["usd_at_period_end"],
            "usd_at_payment_dates": spending.value["usd_at_payment_dates"],
            "category": column(spending, "category", "rials"),
            "funding_source": column(spending, "funding_source", "rials"),
        },
        "projects_underway": {
            "count": underway.value["count"],
            "credit_rials": underway.value["credit_rials"],
            "credit_usd_at_period_end": underway.value["credit_usd_at_period_end"],
            "category": column(underway, "category", "count", "credit_rials"),
        },
        "planned_spending": {
            "rials": results["planned_spending"].value["rials"],
            "category": column(results["planned_spending"], "category", "rials"),
        },
        "units_revived": {
            **revived.value,
            "province": column(revived, "province", "units", "events", "jobs"),
        },
        "units_established": {
            "total": established.value,
            "size_class": column(established, "size_class", "count"),
            "knowledge_based": {True: kb["knowledge_based"], False: kb["not_knowledge_based"]},
            "tech": column(established, "tech_intensity", "count"),
        },
        "idle_units": {
            "total": idle.value,
            "cause": column(idle, "cause", "count"),
            "province": column(idle, "province", "count"),
        },
        "target_progress": [
            (r["metric"], r["target"], r["achieved"])
            for r in results["target_progress"].breakdowns["targets"]
        ],
        "regional_balance": shaped_balance,
    }


def normalise(value):
    if isinstance(value, dict):
        return {str(k): normalise(v) for k, v in nonzero(value).items()}
    if isinstance(value, list | tuple):
        return [normalise(v) for v in value]
    if isinstance(value, Decimal):
        return str(value.quantize(CENT))
    return value


def differences(engine, raw, path=""):
    if isinstance(engine, dict) and isinstance(raw, dict):
        found = []
        for key in sorted(set(engine) | set(raw)):
            found += differences(engine.get(key), raw.get(key), f"{path}.{key}")
        return found
    return [] if engine == raw else [f"{path}: engine {engine!r} ≠ raw {raw!r}"]


# ---- one database, in this process ---------------------------------------------------------------


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


# ---- DuckDB over the same rows ---------------------------------------------------------------------

# The tables the figures read, copied whole into an in-process DuckDB (outside the timed part).
DUCK_TABLES = (
    "regions_province",
    "regions_county",
    "estates_estate",
    "estates_workshopunit",
    "units_isicclass",
    "units_productionunit",
    "units_unitevent",
    "projects_developmentproject",
    "projects_disbursement",
    "projects_planneddisbursement",
    "money_exchangerate",
    "targets_target",
    "land_plot",
    "land_plothold",
)
DUCK_TYPES = {
    "smallint": "SMALLINT",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "date": "DATE",
    "boolean": "BOOLEAN",
    "double precision": "DOUBLE",
    "real": "FLOAT",
    "timestamp with time zone": "TIMESTAMPTZ",
    "timestamp without time zone": "TIMESTAMP",
}


class DuckCursor:
    """The hand-written SQL runs unchanged on DuckDB: the same cursor interface, `?` placeholders."""

    def __init__(self, duck):
        self.duck = duck

    def execute(self, sql, params=()):
        self.duck.execute(sql.replace("%s", "?"), list(params))

    def fetchall(self):
        return self.duck.fetchall()


def duck_copy(connection, threads: int) -> tuple:
    """A DuckDB in memory holding the same rows as the PostgreSQL tables (COPY out to CSV, read in).

    DuckDB's postgres extension would read them in place, but it is downloaded at run time; a CSV
    copy needs nothing but the duckdb package. Returns (duckdb connection, seconds, rows copied).
    """
    import duckdb

    started = time.perf_counter()
    duck = duckdb.connect(":memory:", config={"threads": threads})
    copied = 0
    raw = connection.connection  # psycopg 3
    with tempfile.TemporaryDirectory() as folder:
        for table in DUCK_TABLES:
            with raw.cursor() as cursor:
                cursor.execute(
                    """SELECT column_name, data_type, numeric_precision, numeric_scale
                       FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position""",
                    [table],
                )
                columns = cursor.fetchall()
                path = Path(folder) / f"{table}.csv"
                with (
                    path.open("wb") as out,
                    cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT csv, HEADER)') as copy,
                ):
                    for data in copy:
                        out.write(data)
            types = {
                name: (
                    f"DECIMAL({precision}, {scale})" if kind == "numeric" else DUCK_TYPES.get(kind, "VARCHAR")
                )
                for name, kind, precision, scale in columns
            }
            spec = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in types.items()) + "}"
            duck.execute(
                f"CREATE TABLE {table} AS SELECT * FROM read_csv('{path}', header = true, "
                f"columns = {spec}, nullstr = '', quote = '\"', escape = '\"')"
            )
            copied += duck.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    return duck, time.perf_counter() - started, copied


# ---- one database, in this process ---------------------------------------------------------------


def interleaved(functions: dict, repeat: int) -> dict:
    """Each function run `repeat` times, taking turns (so a busy moment hits them alike)."""
    times = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - started)
    return {name: (statistics.median(found), min(found)) for name, found in times.items()}


def places(scopes: dict) -> dict:
    """The engine's scope and the hand-written SQL's place for each scope code asked."""
    from shahrak.estates.models import Estate
    from shahrak.estates.scope import parse_scope
    from shahrak.regions.models import County
    from shahrak.regions.scope import NATION

    found = {"nation": (NATION, NATION_PLACE)}
    for level, code in scopes.items():
        if not code:
            continue
        scope = parse_scope(code)
        if scope.level == "province":
            counties = tuple(County.objects.filter(province_id=scope.pk).values_list("pk", flat=True))
        elif scope.level == "county":
            counties = (scope.pk,)
        else:
            counties = (Estate.objects.values_list("county_id", flat=True).get(pk=scope.pk),)
        found[f"{level} {scope.code}"] = (scope, Place(scope.level, scope.pk, counties))
    return found


def busiest_estate(county_code: str) -> str | None:
    """The estate of the county with the most payments (the estate scope's default)."""
    from django.db.models import Count

    from shahrak.estates.models import Estate

    return (
        Estate.objects.filter(county__sci_code=county_code)
        .annotate(n=Count("projects__disbursements"))
        .order_by("-n", "code")
        .values_list("code", flat=True)
        .first()
    )


def measure(year: int, repeat: int, scopes: dict, duck_threads: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shahrak.settings")
    django.setup()
    from django.db import connection
    from django.test import override_settings

    from shahrak.core.jalali import year_bounds
    from shahrak.metrics.base import Filters
    from shahrak.metrics.engine import Context, compute_all, compute_in_context
    from shahrak.units.models import UnitEvent

    period = year_bounds(year)
    start, end = period.start, period.end
    vendor = connection.vendor

    def engine_figures(period, scope):
        """The engine's figures that the hand-written SQL computes too (the article's eleven), sharing
        one context as compute_all does; the land figures (DESIGN.md, "Land and workshops") have no
        hand-written twin here, so they are left out of both sides."""
        context = Context(compute_in_context)
        return {name: compute_in_context(name, period, scope, Filters(), context) for name in FIGURE_ORDER}

    def cached_all(period, scope):
        with override_settings(FIGURE_CACHE_SECONDS=3600):
            return compute_all(period, scope)

    if not scopes.get("estate") and scopes.get("county"):
        scopes = {**scopes, "estate": busiest_estate(scopes["county"])}
    report = {"vendor": vendor, "events": UnitEvent.objects.count(), "scopes": {}, "problems": []}
    duck = None
    if vendor == "postgresql":
        try:
            duck, seconds, copied = duck_copy(connection, duck_threads)
            report["duck_copy"] = (seconds, copied)
        except ImportError:
            report["duck_copy"] = None  # pip install -e .[bench]
    with connection.cursor() as cursor:
        # Every shape must give the same rows; those that read all the events are slow at scale 10,
        # so they are timed three times at most. The fastest on each engine is its baseline.
        shapes, duck_shapes = {}, {}
        reference = sorted(raw_idle_rows(cursor, "cached_ends", end))
        for name in idle_shapes(vendor):
            assert sorted(raw_idle_rows(cursor, name, end)) == reference, f"idle shape {name} disagrees"
            runs = repeat if name == "cached_ends" else min(repeat, 3)
            shapes[name] = timed(lambda name=name: raw_idle_rows(cursor, name, end), runs)
        fastest = min(shapes, key=lambda name: shapes[name][0])
        report["idle_shapes"], report["idle_baseline"] = shapes, fastest
        if duck is not None:
            dc = DuckCursor(duck)
            for name in idle_shapes("postgresql"):
                try:
                    found = sorted(raw_idle_rows(dc, name, end))
                except Exception:  # noqa: BLE001 - a shape DuckDB cannot run is left out
                    continue
                assert found == reference, f"idle shape {name} disagrees on DuckDB"
                duck_shapes[name] = timed(lambda name=name: raw_idle_rows(dc, name, end), min(repeat, 3))
            report["duck_idle_shapes"] = duck_shapes
            report["duck_idle_baseline"] = min(duck_shapes, key=lambda name: duck_shapes[name][0])

        for label, (scope, place) in places(scopes).items():
            runs = {
                # The engine computing (the figure cache is off in this process: environment_for).
                "engine": lambda scope=scope: engine_figures(period, scope),
                # The same figures asked again with no write since: from the figure cache (item 8).
                "repeated": lambda scope=scope: cached_all(period, scope),
                "sql": lambda place=place: raw_all(cursor, vendor, start, end, fastest, place),
            }
            if duck is not None:
                runs["duckdb"] = lambda place=place: raw_all(
                    dc, "duckdb", start, end, report["duck_idle_baseline"], place
                )
            results = {name: function() for name, function in runs.items()}  # warm, and compared
            assert normalise(engine_shape(results["repeated"])) == normalise(engine_shape(results["engine"]))
            engine = normalise(engine_shape(results["engine"]))
            sql = normalise(results["sql"])
            problems = [f"{label} engine vs SQL {p}" for p in differences(engine, sql)]
            if duck is not None:
                problems += [
                    f"{label} DuckDB vs SQL {p}" for p in differences(normalise(results["duckdb"]), sql)
                ]
            report["scopes"][label] = {"times": interleaved(runs, repeat), "agree": not problems}
            report["problems"] += problems[:10]
    report["agree"] = not report["problems"]
    return report


# ---- driver ---------------------------------------------------------------------------------------


def environment_for(url: str) -> dict:
    env = dict(os.environ)
    env["FIGURE_CACHE_SECONDS"] = "0"  # the engine computes each time; "repeated" turns the cache on
    if url.startswith("sqlite:"):
        env.pop("DATABASE_URL", None)
        env["SHAHRAK_VAR_DIR"] = url.removeprefix("sqlite:")
    else:
        env["DATABASE_URL"] = url
    return env


def load(url: str, scale: float) -> None:
    env = environment_for(url)
    shahrak = [sys.executable, "-m", "shahrak.manage"]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["load_reference"],
        ["demo", "--scale", str(scale), "--seed", "1401", "--if-empty"],
        ["rebuild_metric_caches"],  # the demo is bulk-inserted around save(): a no-op if it did this
    ):
        subprocess.run(shahrak + command, env=env, check=True, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--db", action="append", help="database URL (sqlite:DIR or postgres://...); repeatable"
    )
    parser.add_argument("--year", type=int, default=1401)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--province", default="IR-23", help="the province scope ('' for none)")
    parser.add_argument("--county", default="2301", help="the county scope ('' for none)")
    parser.add_argument(
        "--estate", default="", help="the estate scope (default: the county's estate with most payments)"
    )
    parser.add_argument("--duck-threads", type=int, default=2, help="DuckDB's threads (the machine's cores)")
    parser.add_argument(
        "--load", action="store_true", help="load the demo (scale 1 or 10) into empty databases first"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: measure this database in this process
    options = parser.parse_args()
    scopes = {"province": options.province, "county": options.county, "estate": options.estate}

    if options.one:
        report = measure(options.year, options.repeat, scopes, options.duck_threads)
        print(json.dumps(report, default=str))
        return 0

    databases = (
        {
            url.rstrip("/").rsplit("/", 1)[-1]: (url, 10 if url.rstrip("/").endswith("10") else 1)
            for url in options.db
        }
        if options.db
        else DEFAULT_DATABASES
    )
    print(
        f"All figures of Iranian year {options.year} per scope, warm, {options.repeat} interleaved runs "
        "each; times are median / best\n"
    )
    header = (
        f"{'database':24} {'scope':16} {'engine':>15} {'hand SQL':>15} {'DuckDB':>15} "
        f"{'eng/SQL':>7} {'eng/Duck':>8}  agree {'repeated':>13}"
    )
    print(header)
    print("-" * len(header))
    failed = False
    reports = {}
    for label, (url, scale) in databases.items():
        if options.load:
            load(url, scale)
        command = [sys.executable, __file__, "--one", url, "--year", str(options.year)]
        command += ["--repeat", str(options.repeat), "--duck-threads", str(options.duck_threads)]
        command += ["--province", options.province, "--county", options.county, "--estate", options.estate]
        run = subprocess.run(command, env=environment_for(url), capture_output=True, text=True, cwd=ROOT)
        if run.returncode:
            print(
                f"{label:16} failed: {run.stderr.strip().splitlines()[-1] if run.stderr.strip() else run.returncode}"
            )
            failed = True
            continue
        report = json.loads(run.stdout.strip().splitlines()[-1])
        reports[label] = report

        def ms(times):
            return f"{times[0] * 1000:6.0f} /{times[1] * 1000:5.0f}" if times else f"{'-':>13}"

        for scope, found in report["scopes"].items():
            t = found["times"]
            duck = t.get("duckdb")
            print(
                f"{label:24} {scope:16} {ms(t['engine']):>15} {ms(t['sql']):>15} {ms(duck):>15} "
                f"{t['engine'][0] / t['sql'][0]:>7.2f} "
                f"{(t['engine'][0] / duck[0]) if duck else float('nan'):>8.2f}  "
                f"{'yes' if found['agree'] else 'NO ':5} {ms(t.get('repeated')):>13}"
            )
        failed |= not report["agree"]
    print("\nidle_units alone at the nation, by SQL shape (median ms):")
    for label, report in reports.items():
        for engine, key in (("SQL", "idle_shapes"), ("DuckDB", "duck_idle_shapes")):
            if report.get(key):
                shapes = ", ".join(
                    f"{name} {times[0] * 1000:.0f}"
                    for name, times in sorted(report[key].items(), key=lambda x: x[1][0])
                )
                print(f"  {label:16} {engine:7} {shapes}")
    for label, report in reports.items():
        if report.get("duck_copy"):
            seconds, copied = report["duck_copy"]
            print(f"  {label}: {copied:,} rows copied into DuckDB in {seconds:.1f} s (not timed)")
        for problem in report["problems"]:
            print(f"  {label}: {problem}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
