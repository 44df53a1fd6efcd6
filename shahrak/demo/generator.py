"""Building the demo rows: estates, production units and their events, workshops, projects and their
payments and plans, exchange rates, targets.

Everything comes from `random.Random` generators seeded from the seed and the stage name, so the same
seed and scale give the same rows, primary keys included. Rows go to a `Writer` table by table in
batches as they are made, so that scale 10 fits in memory: what later stages need of the units is
kept in compact arrays, and each unit's history before 1398 is drawn from a seed of its own, so it
can be drawn again when its events are written after the 1398–1402 events have been chosen.

Dates are handled as proleptic Gregorian ordinals (`date.toordinal()`) while building.
"""

import bisect
import math
import random
from array import array
from collections import Counter, defaultdict
from decimal import Decimal

from shahrak.core import jalali
from shahrak.core.text import to_persian_digits
from shahrak.core.validators import national_id_check_digit
from shahrak.estates.models import Estate, EstateKind, EstateStatus, WorkshopUnit
from shahrak.money.models import ExchangeRate, RateSource
from shahrak.projects.models import (
    Category,
    DevelopmentProject,
    Disbursement,
    FundingSource,
    PlannedDisbursement,
    ProjectStatus,
)
from shahrak.regions.models import DEPRIVED_STATUSES, County, Province
from shahrak.targets.models import Target
from shahrak.units.models import EventKind, IdleCause, IsicClass, ProductionUnit, UnitEvent

from . import names, plan
from .plan import YEARS, Scale
from .rows import (
    ORD_END,
    ORD_START,
    RowMaker,
    Writer,
    cumulative,
    day,
    hectares,
    jalali_ordinal,
    jparts,
    pick,
    price_index,
    weighted_sample,
    year_range,
)

ORD_UNDERWAY = plan.UNDERWAY_DAY.toordinal()
PRODUCING, IDLE, CLOSED = 0, 1, 2


class MissingReference(RuntimeError):
    """Provinces, counties or ISIC classes are not loaded yet."""


IDLE_CAUSES = [
    (IdleCause.FINANCE, 34), (IdleCause.RAW_MATERIALS, 15), (IdleCause.MARKET, 15), (IdleCause.MACHINERY, 7),
    (IdleCause.LICENSING, 5), (IdleCause.UTILITIES, 6), (IdleCause.LEGAL, 5), (IdleCause.PARTNERS, 8),
    (IdleCause.OTHER, 5),
]  # fmt: skip
IDLE_CAUSE_NAMES, IDLE_CAUSE_WEIGHTS = zip(*IDLE_CAUSES, strict=True)
# Manufacturing divisions by their share of units (ISIC Rev.4 two-digit division → weight).
DIVISION_WEIGHTS = {
    "10": 14, "11": 2, "12": 0.2, "13": 5, "14": 3, "15": 1.5, "16": 2, "17": 3, "18": 2, "19": 0.6,
    "20": 8, "21": 2, "22": 9, "23": 12, "24": 4, "25": 9, "26": 2, "27": 5, "28": 6, "29": 5, "30": 0.8,
    "31": 2, "32": 2, "33": 1, "35": 0.3, "36": 0.3, "38": 0.8, "45": 0.5, "52": 0.8, "62": 0.8, "72": 0.5,
}  # fmt: skip
# Project categories: mostly water, electricity and gas ("including water, electricity, and gas supply").
CATEGORY_WEIGHTS = [
    (Category.WATER, 28), (Category.ELECTRICITY, 26), (Category.GAS, 19), (Category.ROADS, 12),
    (Category.WASTEWATER, 7), (Category.TELECOM, 5), (Category.BUILDINGS, 3),
]  # fmt: skip
CATEGORY_COST = {"water": 1.0, "electricity": 1.3, "gas": 1.1, "roads": 0.9, "wastewater": 1.4, "telecom": 0.5,
                 "buildings": 0.8}  # fmt: skip
# Construction prices by Iranian year (1385 = 1): credits are in the rials of their year.
# Free-market US dollar, rials (Jalali year, month, day → rate): approximate levels of the published
# market rate, for demonstration. The ends of months 8 and 9 of 1401 are fixed at 380,250, the rate
# behind the article's dollars: "40 trillion rials (about $105.2 million)", "60 trillion rials (more
# than $157.8 million)", "eight trillion rials (about $21 million)".
FREE_MARKET_USD = [
    ((1385, 1, 1), 9_200), ((1387, 1, 1), 9_300), ((1389, 1, 1), 10_000), ((1390, 1, 1), 10_900),
    ((1390, 10, 1), 15_000), ((1391, 1, 1), 18_500), ((1391, 7, 10), 35_000), ((1392, 1, 1), 35_500),
    ((1392, 6, 1), 31_500), ((1393, 1, 1), 32_000), ((1394, 1, 1), 33_000), ((1395, 1, 1), 35_000),
    ((1396, 1, 1), 38_000), ((1396, 12, 1), 48_000), ((1397, 2, 1), 65_000), ((1397, 7, 10), 160_000),
    ((1397, 12, 1), 135_000), ((1398, 6, 1), 115_000), ((1398, 12, 1), 158_000), ((1399, 7, 10), 300_000),
    ((1399, 12, 1), 240_000), ((1400, 6, 1), 275_000), ((1400, 12, 1), 262_000), ((1401, 3, 1), 320_000),
    ((1401, 6, 1), 315_000), ((1401, 8, 30), 380_250), ((1401, 9, 30), 380_250), ((1401, 10, 30), 440_000),
    ((1401, 11, 30), 530_000), ((1401, 12, 5), 580_000), ((1401, 12, 29), 505_000),
    ((1402, 3, 1), 500_000), ((1402, 8, 1), 510_000), ((1402, 12, 29), 590_000),
]  # fmt: skip
# NIMA exchange (for importers' currency), weekly from its start in 1397.
NIMA_USD = [
    ((1397, 5, 1), 80_000), ((1398, 1, 1), 100_000), ((1398, 12, 1), 125_000), ((1399, 7, 1), 210_000),
    ((1399, 12, 1), 235_000), ((1400, 12, 1), 250_000), ((1401, 8, 30), 290_000), ((1401, 12, 29), 360_000),
    ((1402, 6, 1), 385_000), ((1402, 12, 29), 410_000),
]  # fmt: skip
# Official (central bank) rate, monthly: the 42,000-rial rate of 1397–1401, then 285,000 from 1402.
OFFICIAL_USD = [
    ((1385, 1, 1), 9_150), ((1390, 1, 1), 10_600), ((1391, 1, 1), 12_260), ((1392, 3, 1), 24_800),
    ((1395, 1, 1), 30_500), ((1396, 12, 29), 37_700), ((1397, 1, 21), 42_000), ((1401, 12, 29), 42_000),
    ((1402, 1, 1), 285_000), ((1402, 12, 29), 285_000),
]  # fmt: skip


class EstateRow:
    __slots__ = ("pk", "kind", "county", "licence", "operational", "industrial", "deprived", "specialty",
                 "name_fa", "name_en", "unit_first", "unit_last", "code")  # fmt: skip

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)


class ProjectRow:
    __slots__ = ("pk", "estate", "category", "source", "approved", "start", "planned_end", "end", "stop",
                 "status", "credit", "seed")  # fmt: skip

    def __init__(self, **values):
        for key, value in values.items():
            setattr(self, key, value)

    @property
    def finish(self) -> float:
        """The day it stopped being underway (completion or stop); infinity while it runs."""
        if self.end is not None:
            return self.end
        if self.stop is not None:
            return self.stop
        return math.inf

    def underway_on(self, ordinal: int) -> bool:
        return self.start is not None and self.start <= ordinal < self.finish


class DemoGenerator:
    """Makes the rows of the demo dataset at one scale and seed, and hands them to a writer."""

    def __init__(self, scale: float, seed: int, writer: Writer, progress=None):
        self.s = Scale(scale)
        self.seed = seed
        self.writer = writer
        self.progress = progress or (lambda stage, detail="": None)
        self.stats: dict[str, object] = {}

    def rng(self, stage: str) -> random.Random:
        # String seeds are hashed with SHA-512: the same on every machine and Python run.
        return random.Random(f"shahrak-demo:{self.seed}:{stage}")

    # ---- reference data -------------------------------------------------------------------------

    def load_reference(self) -> None:
        self.provinces = {p["id"]: p for p in Province.objects.values("id", "iso_code", "sci_code")}
        self.counties = list(
            County.objects.order_by("sci_code").values(
                "id",
                "sci_code",
                "province_id",
                "name_fa",
                "name_en",
                "population",
                "deprivation",
                "size_class",
            )
        )
        for county in self.counties:
            county["population"] = county["population"] or 20_000  # newer counties: no census figure
            county["deprived"] = county["deprivation"] in DEPRIVED_STATUSES
            county["iso"] = self.provinces[county["province_id"]]["iso_code"]
        self.isic = list(IsicClass.objects.order_by("code").values_list("code", "tech_intensity"))
        if not self.counties or not self.isic:
            raise MissingReference("the reference data is missing: run `shahrak load_reference` first")

    def run(self) -> Counter:
        self.load_reference()
        self.make_estates()
        self.make_units()
        self.make_workshops()
        self.make_land()
        self.make_projects()
        self.make_exchange_rates()
        self.make_targets()
        self.writer.flush()
        return self.writer.counts

    # ---- estates --------------------------------------------------------------------------------

    def make_estates(self) -> None:
        rng, s = self.rng("estates"), self.s
        counties = self.counties
        chosen: list[tuple[str, dict]] = []

        def spread(kind, count, pool, weights):
            """`count` counties of the pool by weight: each at most once, unless there are more than
            counties, when every county gets one and the rest go by weight."""
            if not pool:
                return  # e.g. no county on the deprived list yet
            if count >= len(pool):
                picks = list(pool) + rng.choices(pool, weights=weights, k=count - len(pool))
            else:
                picks = weighted_sample(rng, pool, weights, count)
            chosen.extend((kind, county) for county in picks)

        # One park in (almost) every county, more in the populous ones; at small scales, a metropolis first.
        parks = s.n(plan.ESTATES["park"], 3)
        metropolises = [c for c in counties if c["size_class"] == "metropolis"]
        if parks < len(counties) and metropolises:
            chosen.append(("park", rng.choices(metropolises, [c["population"] for c in metropolises])[0]))
            parks -= 1
        spread("park", parks, counties, [c["population"] ** 0.8 for c in counties])
        deprived = [c for c in counties if c["deprived"]]
        spread("deprived_zone", s.n(plan.ESTATES["deprived_zone"], 2), deprived, [1.0] * len(deprived))
        others = [c for c in counties if not c["deprived"] and c["size_class"] != "metropolis"] or counties
        zones = s.n(plan.ESTATES["zone"], 2)
        chosen.extend(
            ("zone", c)
            for c in rng.choices(others, weights=[c["population"] ** 0.3 for c in others], k=zones)
        )
        large = [c for c in counties if c["size_class"] != "small"] or counties
        large_weights = [float(c["population"]) for c in large]
        chosen.extend(
            ("specialized", c)
            for c in rng.choices(large, weights=large_weights, k=s.n(plan.ESTATES["specialized"], 1))
        )
        spread("technology", s.n(plan.ESTATES["technology"], 1), large, large_weights)

        # Licence dates: the article's recent years first, then history for the rest.
        licence: dict[int, int] = {}
        recent_weight = {
            "zone": 2.0,
            "deprived_zone": 1.5,
            "park": 1.0,
            "specialized": 0.7,
            "technology": 0.7,
        }
        pool = list(range(len(chosen)))
        for year in YEARS:
            count = s.n(plan.ESTATES_LICENSED[year], 1 if year == 1400 else 0)
            weights = [
                recent_weight[chosen[i][0]]
                * (0.4 if year >= 1401 and chosen[i][0] == "deprived_zone" else 1.0)
                for i in pool
            ]
            for i in weighted_sample(rng, pool, weights, count):
                start, end = year_range(year)
                licence[i] = rng.randint(start, end)
            pool = [i for i in pool if i not in licence]
        first_year = {
            "park": 1365,
            "zone": 1375,
            "deprived_zone": 1384,
            "specialized": 1385,
            "technology": 1388,
        }
        for i in pool:
            kind = chosen[i][0]
            years = list(range(first_year[kind], 1398))
            year = rng.choices(years, weights=[1 + 0.08 * k for k in range(len(years))])[0]
            licence[i] = rng.randint(*year_range(year))

        delay = {"park": (540, 2200), "zone": (365, 1500), "deprived_zone": (365, 1400), "specialized": (700, 2500),
                 "technology": (540, 1800)}  # fmt: skip
        order = sorted(range(len(chosen)), key=lambda i: (chosen[i][1]["sci_code"], licence[i], i))
        self.estates: list[EstateRow] = []
        seq_in_county: Counter = Counter()
        parks_in_county: Counter = Counter()
        used_names: set[tuple[int, str]] = set()
        for pk, i in enumerate(order, start=1):
            kind, county = chosen[i]
            lic = licence[i]
            operational = None
            ready = lic + rng.randint(*delay[kind])
            if ready <= ORD_END and rng.random() > 0.04:
                status, operational = EstateStatus.OPERATIONAL, ready
            elif lic + 180 <= ORD_END:
                status = EstateStatus.UNDER_DEVELOPMENT
            else:
                status = EstateStatus.LICENSED
            specialty = None
            for _attempt in range(8):
                if kind == "park":
                    name_fa, name_en = names.park_name(
                        county["name_fa"], county["name_en"], parks_in_county[county["id"]], rng
                    )
                elif kind in ("zone", "deprived_zone"):
                    name_fa, name_en = names.zone_name(county["name_en"], rng)
                elif kind == "specialized":
                    specialty = rng.choice(names.SPECIALTIES)
                    name_fa, name_en = names.specialized_name(county["name_fa"], county["name_en"], specialty)
                else:
                    name_fa, name_en = names.technology_name(county["name_fa"], county["name_en"])
                if (county["id"], name_fa) not in used_names:
                    break
            used_names.add((county["id"], name_fa))
            if kind == "park":
                parks_in_county[county["id"]] += 1

            size = {"metropolis": 2.0, "big": 1.4, "small": 1.0}[county["size_class"]]
            if kind == "park":
                gross = rng.lognormvariate(math.log(120), 0.6) * size
            elif kind == "specialized":
                gross = rng.uniform(80, 300)
            elif kind == "technology":
                gross = rng.uniform(20, 80)
            elif kind == "deprived_zone":
                gross = rng.uniform(40, 200)
            else:
                gross = rng.uniform(12, 70)
            gross_c = max(500, int(gross * 100))
            industrial_c = int(gross_c * rng.uniform(0.55, 0.72))
            if status == EstateStatus.OPERATIONAL:
                # Land in the big cities' estates is nearly all taken; in deprived counties estates are
                # built ahead of demand and serviced land waits for investors.
                if county["deprived"]:
                    share = rng.uniform(0.15, 0.6)
                else:
                    share = rng.uniform(
                        *{"metropolis": (0.92, 0.995), "big": (0.75, 0.97)}.get(
                            county["size_class"], (0.55, 0.95)
                        )
                    )
            elif status == EstateStatus.UNDER_DEVELOPMENT:
                share = rng.uniform(0.0, 0.3)
            else:
                share = 0.0
            allocated_c = int(industrial_c * share)
            centre = names.PROVINCE_CENTRES.get(county["iso"], (32.5, 53.7))
            latitude = Decimal(f"{centre[0] + rng.gauss(0, 0.4):.5f}")
            longitude = Decimal(f"{centre[1] + rng.gauss(0, 0.5):.5f}")
            if county["iso"] in plan.UNLOCATED_ESTATES and pk % 2 == 0:  # a deliberate flaw (data quality)
                latitude = longitude = None
            seq_in_county[county["id"]] += 1
            code = f"{county['sci_code']}-{seq_in_county[county['id']]:02d}"
            self.writer.add(
                Estate(
                    pk=pk,
                    code=code,
                    name_fa=name_fa,
                    name_en=name_en,
                    kind=EstateKind.ZONE if kind == "deprived_zone" else kind,
                    county_id=county["id"],
                    status=status,
                    licence_date=day(lic),
                    operational_date=day(operational) if operational else None,
                    gross_area_ha=hectares(gross_c),
                    industrial_area_ha=hectares(industrial_c),
                    allocated_area_ha=hectares(allocated_c),
                    latitude=latitude,
                    longitude=longitude,
                    # Invented, and drawn from no random stream, so the demo's figures stay as they were.
                    contact_phone=f"0{11 + pk % 80}-3{pk % 10**7:07d}",
                    office_address=f"{name_fa}، ساختمان اداری، شهرستان {county['name_fa']}",
                )
            )
            self.estates.append(
                EstateRow(
                    pk=pk, kind=kind, county=county, licence=lic, operational=operational,
                    industrial=industrial_c / 100, deprived=county["deprived"],
                    specialty=specialty[2] if specialty else None, name_fa=name_fa, name_en=name_en,
                    unit_first=0, unit_last=0, code=code,
                )
            )  # fmt: skip
        self.writer.flush(Estate)
        self.progress("estates", f"{len(self.estates):,}")

    # ---- production units and their events ------------------------------------------------------

    def make_units(self) -> None:
        rng, s = self.rng("units"), self.s
        total = s.n(plan.PRODUCTION_UNITS, 100)
        new_per_year = {year: s.n(plan.UNITS_ESTABLISHED[year], 1) for year in YEARS}
        old = total - sum(new_per_year.values())

        # Hosts: estates open for production, then each county for units outside estates.
        kind_weight = {"park": 1.0, "zone": 0.7, "deprived_zone": 0.7, "specialized": 1.0, "technology": 0.4}
        hosts = [e for e in self.estates if e.operational]
        estate_weight = [max(e.industrial, 1.0) ** 0.85 * kind_weight[e.kind] for e in hosts]
        population = sum(c["population"] for c in self.counties)
        outside_share = [c["population"] / population for c in self.counties]
        hosts += [None] * len(self.counties)

        def host_opens(h: int) -> int:
            estate = hosts[h]
            return estate.operational if estate else 0

        def weights_open_by(day: int, outside: float) -> list[float]:
            """Estates open by the day, and the counties (outside estates) with `outside` of the weight."""
            inside = [w if host_opens(h) <= day else 0.0 for h, w in enumerate(estate_weight)]
            total = sum(inside) or 1.0
            return inside + [share * total * outside / (1 - outside) for share in outside_share]

        counts: dict[int, list[int]] = defaultdict(list)  # host → cohort per unit (0 = before 1398)
        for h in rng.choices(range(len(hosts)), weights=weights_open_by(ORD_START - 365, 0.3), k=old):
            counts[h].append(0)
        for year in YEARS:
            # New units settle in estates more often ("small workshop units ... in industrial parks").
            weights = weights_open_by(year_range(year)[1] - 60, 0.2)
            for h in rng.choices(range(len(hosts)), weights=weights, k=new_per_year[year]):
                counts[h].append(year)

        # ISIC classes: weights per division, spread over the division's classes; young units lean to
        # higher technology ("knowledge-based units with high technology").
        per_division = Counter(code[:2] for code, _ in self.isic)
        isic_codes = [code for code, _ in self.isic]
        base = [DIVISION_WEIGHTS.get(code[:2], 0.3) / per_division[code[:2]] for code, _ in self.isic]
        lift = {"high": 3.0, "medium_high": 2.0}
        isic_old = cumulative(base)
        isic_new = cumulative(w * lift.get(t, 1.0) for w, (_, t) in zip(base, self.isic, strict=True))
        by_division = defaultdict(list)
        for code in isic_codes:
            by_division[code[:2]].append(code)

        id_numbers = rng.sample(range(10**8), total)
        make_unit = RowMaker(
            ProductionUnit, "id", "national_id", "name", "estate_id", "county_id", "isic_id", "knowledge_based_since",
            "employees",
        )  # fmt: skip
        # Per unit, for the later stages: county, estate, when established, deprived, status now.
        self.unit_county = array("i")
        self.unit_established = array("i")
        self.unit_employees = array("i")
        self.unit_flags = bytearray()  # 1 = deprived county, 2 = outside estates
        self.unit_status = bytearray()
        self.unit_last = array("i")
        self.unit_seed = array("q")
        history_rng = self.rng("history")
        history_events = 0
        pk = 0
        for h, cohorts in sorted(counts.items()):
            estate = hosts[h]
            county = estate.county if estate else self.counties[h - len(estate_weight)]
            cohorts.sort()
            dates = []
            for cohort in cohorts:
                if cohort == 0:
                    low = max(host_opens(h) + 1, jalali_ordinal(1360))
                    high = ORD_START - 1
                    dates.append(low + int((high - low) * rng.random() ** 0.6))
                else:
                    start, end = year_range(cohort)
                    dates.append(rng.randint(max(start, host_opens(h) + 1), end))
            if estate:
                estate.unit_first = pk + 1
            for cohort, established in sorted(zip(cohorts, dates, strict=True), key=lambda pair: pair[1]):
                pk += 1
                young = cohort != 0
                if estate and estate.specialty and rng.random() < 0.7:
                    code = rng.choice(by_division[estate.specialty])
                else:
                    code = pick(rng, isic_codes, isic_new if young else isic_old)
                if young:
                    employees = min(200, max(1, int(rng.lognormvariate(math.log(8), 0.8))))
                else:
                    employees = min(2_500, max(1, int(rng.lognormvariate(math.log(14), 1.0))))
                knowledge = None
                chance = 0.55 if cohort == 1400 else 0.2 if young else 0.04
                if rng.random() < chance:
                    if cohort == 1400:
                        knowledge = min(established + rng.randint(0, 150), year_range(1400)[1])
                    elif young:
                        knowledge = min(established + rng.randint(0, 700), ORD_END)
                    else:
                        knowledge = max(established, jalali_ordinal(1394)) + rng.randint(0, 2_000)
                        knowledge = min(knowledge, ORD_END)
                ten = f"10{id_numbers[pk - 1]:08d}"
                self.writer.add(
                    make_unit(
                        pk,
                        ten + str(national_id_check_digit(ten)),
                        names.unit_name(rng, code[:2]),
                        estate.pk if estate else None,
                        county["id"],
                        code,
                        day(knowledge) if knowledge else None,
                        employees,
                    )
                )
                self.unit_county.append(county["id"])
                self.unit_established.append(established)
                self.unit_employees.append(employees)
                self.unit_flags.append((1 if county["deprived"] else 0) | (0 if estate else 2))
                # Its life before 1398, from a seed of its own so that it can be drawn again when its
                # events are written with the recent ones (see write_events).
                seed = history_rng.getrandbits(63)
                self.unit_seed.append(seed)
                history = self.unit_history(seed, established, employees, county, young)
                status = {EventKind.IDLED: IDLE, EventKind.CLOSED: CLOSED}.get(history[-1][1], PRODUCING)
                last = history[-1][0]
                history_events += len(history)
                self.unit_status.append(status)
                self.unit_last.append(last)
            if estate:
                estate.unit_last = pk
            if pk % 20_000 < len(cohorts):
                self.progress("units", f"{pk:,}")
        self.writer.flush(ProductionUnit)
        idle_1398 = sum(1 for status in self.unit_status if status == IDLE)
        self.stats["idle_at_1398"] = idle_1398
        self.stats["history_events"] = history_events
        self.progress(
            "units", f"{pk:,} ({history_events:,} events before 1398, {idle_1398:,} idle on 1 Farvardin 1398)"
        )
        self.write_events(self.recent_events())

    def unit_history(self, seed: int, established: int, employees: int, county: dict, young: bool) -> list:
        """A unit's events before 1398, (date, kind, cause, jobs): established, then producing and idle
        spells, much shorter in the recession years from 1389; young units have only their establishment."""
        events = [(established, EventKind.ESTABLISHED, None, None)]
        if young:
            return events
        rng = random.Random(seed)
        # Units stop more and recover less in deprived counties, the reverse in metropolises.
        stops = 1.4 if county["deprived"] else 0.8 if county["size_class"] == "metropolis" else 1.0
        recovers = 0.6 if county["deprived"] else 1.2 if county["size_class"] == "metropolis" else 1.0
        era = jalali_ordinal(1389)
        status, t = PRODUCING, established
        while status != CLOSED:
            if status == PRODUCING:
                rate = (0.6 if t >= era else 0.12) * stops
            else:
                rate = (2.0 if t >= era else 0.5) * recovers
            following = t + 1 + int(rng.expovariate(rate) * 365)
            if t < era <= following:
                t = era  # spells are memoryless: draw again at the faster era's rate
                continue
            t = following
            if t >= ORD_START:
                break
            if status == PRODUCING:
                events.append(
                    (t, EventKind.IDLED, rng.choices(IDLE_CAUSE_NAMES, IDLE_CAUSE_WEIGHTS)[0], None)
                )
                status = IDLE
            elif rng.random() < 0.1:
                events.append((t, EventKind.CLOSED, None, None))
                status = CLOSED
            else:
                events.append((t, EventKind.REVIVED, None, max(1, round(employees * rng.uniform(0.6, 1.1)))))
                status = PRODUCING
        return events

    def write_events(self, recent: list[tuple]) -> None:
        """Every unit's events in date order: its history drawn again from its seed, then 1398–1402.

        The values cached for the figures (`ends_on`, the next event's date, and `county`, the
        unit's) are written with the events, so no rebuild is needed after the load.
        """
        make = RowMaker(UnitEvent, "id", "unit_id", "date", "kind", "cause", "jobs", "ends_on", "county_id")
        recent_by_unit = defaultdict(list)
        for unit, when, kind, cause, jobs in recent:
            recent_by_unit[unit].append((when, kind, cause, jobs))
        counties = {c["id"]: c for c in self.counties}
        event_pk = 0
        for unit in range(len(self.unit_seed)):
            county = counties[self.unit_county[unit]]
            young = self.unit_established[unit] >= ORD_START
            events = self.unit_history(
                self.unit_seed[unit], self.unit_established[unit], self.unit_employees[unit], county, young
            )
            events.extend(recent_by_unit.get(unit, ()))
            for i, (when, kind, cause, jobs) in enumerate(events):
                event_pk += 1
                ends_on = day(events[i + 1][0]) if i + 1 < len(events) else None
                self.writer.add(make(event_pk, unit + 1, day(when), kind, cause, jobs, ends_on, county["id"]))
            if unit % 20_000 == 0 and unit:
                self.progress("events", f"{event_pk:,}")
        self.writer.flush(UnitEvent)
        self.progress("events", f"{event_pk:,} ({len(recent):,} in 1398–1402)")

    def recent_events(self) -> list[tuple]:
        """Events of 1398–1402, (unit index, date, kind, cause, jobs), chosen year by year to the
        article's counts."""
        rng, s = self.rng("recent-events"), self.s
        status, last = self.unit_status, self.unit_last
        established, flags, employees = self.unit_established, self.unit_flags, self.unit_employees
        rows: list[tuple[int, int, str, str | None, int | None]] = []
        causes, cause_weights = IDLE_CAUSE_NAMES, IDLE_CAUSE_WEIGHTS
        for year in YEARS:
            start, end = year_range(year)
            idle, producing = [], []
            for unit in range(len(status)):
                if established[unit] >= start or status[unit] == CLOSED:
                    continue
                (idle if status[unit] == IDLE else producing).append(unit)
            # Revivals: in estates first ("inside and outside industrial parks"), deprived counties lag.
            revive_weights = [
                (1.0 if flags[u] & 2 == 0 else 0.6) * (0.5 if flags[u] & 1 else 1.0) for u in idle
            ]
            revived = weighted_sample(rng, idle, revive_weights, s.n(plan.UNITS_REVIVED[year], 1))
            twice = set(rng.sample(revived, int(len(revived) * 0.02)))
            year_rows = []
            for unit in revived:
                jobs = max(1, round(employees[unit] * rng.uniform(0.6, 1.1)))
                if unit in twice:
                    # Revived, idle again, revived again: one unit, two revival events this year.
                    first = rng.randint(start, start + 100)
                    again = rng.randint(first + 30, first + 120)
                    final = rng.randint(again + 30, end)
                    year_rows.append((unit, first, EventKind.REVIVED, None, jobs))
                    year_rows.append(
                        (unit, again, EventKind.IDLED, rng.choices(causes, cause_weights)[0], None)
                    )
                    year_rows.append((unit, final, EventKind.REVIVED, None, max(1, round(jobs * 0.8))))
                    last[unit] = final
                else:
                    when = rng.randint(start, end)
                    year_rows.append((unit, when, EventKind.REVIVED, None, jobs))
                    last[unit] = when
                status[unit] = PRODUCING
            # Some revivals do not last the year.
            relapse = [u for u in revived if u not in twice and last[u] < end - 60]
            for unit in rng.sample(relapse, int(len(relapse) * 0.04)):
                when = rng.randint(last[unit] + 30, end)
                year_rows.append((unit, when, EventKind.IDLED, rng.choices(causes, cause_weights)[0], None))
                status[unit], last[unit] = IDLE, when
            idle_weights = [
                (1.3 if flags[u] & 1 else 1.0) * (1.2 if flags[u] & 2 else 1.0) for u in producing
            ]
            for unit in weighted_sample(rng, producing, idle_weights, s.n(plan.UNITS_IDLED[year], 1)):
                when = rng.randint(start, end)
                weights = list(cause_weights)
                if year == 1399:
                    weights[causes.index(IdleCause.MARKET)] *= 2  # the pandemic year
                year_rows.append((unit, when, EventKind.IDLED, rng.choices(causes, weights)[0], None))
                status[unit], last[unit] = IDLE, when
            # Closures: mostly units idle for years, a few producing ones.
            revived_set = set(revived)
            long_idle = [u for u in idle if u not in revived_set and status[u] == IDLE and last[u] < start]
            closing = s.n(plan.UNITS_CLOSED[year], 1)
            by_age = [max(1, start - last[u]) for u in long_idle]
            for unit in weighted_sample(rng, long_idle, by_age, closing - closing // 5):
                when = rng.randint(start, end)
                year_rows.append((unit, when, EventKind.CLOSED, None, None))
                status[unit], last[unit] = CLOSED, when
            still = [u for u in producing if status[u] == PRODUCING and last[u] < start]
            for unit in rng.sample(still, min(len(still), closing // 5)):
                when = rng.randint(start, end)
                year_rows.append((unit, when, EventKind.CLOSED, None, None))
                status[unit], last[unit] = CLOSED, when
            if year == 1400:
                # "job opportunities were created for over 39,000 people": scale the year's jobs to it.
                jobs = sum(row[4] for row in year_rows if row[2] == EventKind.REVIVED)
                factor = s.n(plan.JOBS_RESTORED_1400, 1) / jobs
                year_rows = [
                    (u, d, k, c, max(1, round(j * factor)) if k == EventKind.REVIVED else j)
                    for u, d, k, c, j in year_rows
                ]
                self.stats["jobs_factor_1400"] = round(factor, 3)
            rows.extend(year_rows)
        rows.sort()
        return rows

    # ---- workshops ------------------------------------------------------------------------------

    def make_workshops(self) -> None:
        rng, s = self.rng("workshops"), self.s
        hosts = [e for e in self.estates if e.operational and e.unit_last >= e.unit_first > 0]
        host_weight = [
            (1.0 + (1.0 if e.county["size_class"] == "small" else 0.0) + (0.8 if e.deprived else 0.0))
            * {"park": 1.0, "zone": 0.6, "deprived_zone": 0.6, "specialized": 0.5, "technology": 0.8}[e.kind]
            for e in hosts
        ]
        hosts_by_opening = sorted(zip(hosts, host_weight, strict=True), key=lambda pair: pair[0].operational)
        opening = [e.operational for e, _ in hosts_by_opening]
        hosts_sorted = [e for e, _ in hosts_by_opening]
        cum = cumulative(w for _, w in hosts_by_opening)

        def estate_open_before(ordinal: int):
            upto = bisect.bisect_right(opening, ordinal)
            return pick(rng, hosts_sorted, cum, upto) if upto else None

        windows = {
            "before": (jalali_ordinal(1390), ORD_START - 1),
            1398: year_range(1398), 1399: year_range(1399), 1400: year_range(1400),
            "1401a": (plan.NINE_MONTHS_1401.start.toordinal(), plan.NINE_MONTHS_1401.end.toordinal()),
            "1401b": (plan.NINE_MONTHS_1401.end.toordinal() + 1, year_range(1401)[1]),
            1402: year_range(1402),
        }  # fmt: skip
        workshops = []  # (estate, planned, started, completed, opened, occupant)
        occupied: set[int] = set()
        for window, (low, high) in windows.items():
            minimum = 1 if window == "1401a" else 0
            for _ in range(s.n(plan.WORKSHOPS_OPENED[window], minimum)):
                opened = rng.randint(low, high)
                occupant = None
                for _estate_attempt in range(10):
                    estate = estate_open_before(opened - 365) or estate_open_before(opened)
                    if estate is None:
                        break
                    occupant = self.occupant_for(rng, estate, opened, occupied)
                    if occupant is not None:
                        break
                if occupant is None:
                    continue  # no estate with a free unit yet (only at the smallest scales)
                occupied.add(occupant)
                completed = opened - rng.randint(10, 300)
                started = completed - rng.randint(200, 600)
                planned = started - rng.randint(30, 365)
                workshops.append((estate, planned, started, completed, opened, occupant))
        recent = jalali_ordinal(1401)
        unfinished = plan.WORKSHOPS_UNFINISHED
        for _ in range(s.n(unfinished["completed"], 1)):
            completed = rng.randint(recent, ORD_END)
            estate = estate_open_before(completed - 365)
            if estate:
                started = completed - rng.randint(200, 600)
                workshops.append((estate, started - rng.randint(30, 365), started, completed, None, None))
        for _ in range(s.n(unfinished["under_construction"], 1)):
            started = rng.randint(recent, ORD_END)
            estate = estate_open_before(started - 180)
            if estate:
                workshops.append((estate, started - rng.randint(30, 365), started, None, None, None))
        for _ in range(s.n(unfinished["planned"], 1)):
            planned = rng.randint(recent, ORD_END)
            estate = estate_open_before(planned)
            if estate:
                workshops.append((estate, planned, None, None, None, None))

        workshops.sort(key=lambda w: (w[0].pk, w[1], w[4] or 0))
        self.workshop_rows = workshops  # workshop pk - 1 → its row, for leases and the programme
        seq: Counter = Counter()
        areas = [250, 500, 750, 1000, 1500, 2000]
        for pk, (estate, planned, started, completed, opened, occupant) in enumerate(workshops, start=1):
            seq[estate.pk] += 1
            self.writer.add(
                WorkshopUnit(
                    pk=pk,
                    estate_id=estate.pk,
                    code=f"K-{seq[estate.pk]:03d}",
                    floor_area_m2=Decimal(rng.choices(areas, weights=[20, 35, 15, 15, 10, 5])[0]),
                    planned_date=day(planned),
                    construction_started=day(started) if started else None,
                    completed_date=day(completed) if completed else None,
                    opened_date=day(opened) if opened else None,
                    occupant_id=occupant,
                )
            )
        self.writer.flush(WorkshopUnit)
        self.progress("workshops", f"{len(workshops):,}")

    def make_land(self) -> None:
        from .land import make_land

        make_land(self)

    def occupant_for(
        self, rng: random.Random, estate: EstateRow, opened: int, occupied: set[int]
    ) -> int | None:
        """A unit of the estate to hand a workshop to: preferably one set up within a year of the
        hand-over, else any unit there without a workshop; None when every unit there has one."""
        established = self.unit_established
        for _attempt in range(20):
            unit = rng.randint(estate.unit_first, estate.unit_last)
            if unit not in occupied and abs(established[unit - 1] - opened) <= 365:
                return unit
        free = [u for u in range(estate.unit_first, estate.unit_last + 1) if u not in occupied]
        return rng.choice(free) if free else None

    # ---- projects, payments, plans --------------------------------------------------------------

    def make_projects(self) -> None:
        rng, s = self.rng("projects"), self.s
        total = s.n(plan.PROJECTS, 30)
        underway_target = s.n(plan.PROJECTS_UNDERWAY, 3)

        # Where money goes: metropolises and big counties well beyond their share of people, deprived
        # zones little ("most of the investments have taken place in big cities"). At scale 1 about
        # 53% of spending goes to the metropolises (30% of people), 7% to deprived counties (13%).
        per_county = Counter(e.county["id"] for e in self.estates)
        bonus = {"metropolis": 1.6, "big": 1.3, "small": 1.0}
        kind_weight = {"park": 1.0, "zone": 0.6, "deprived_zone": 0.35, "specialized": 0.8, "technology": 0.6}
        by_licence = sorted(self.estates, key=lambda e: e.licence)
        licences = [e.licence for e in by_licence]
        cum = cumulative(
            e.county["population"] ** 0.9 * bonus[e.county["size_class"]] / per_county[e.county["id"]] ** 0.5
            * kind_weight[e.kind]
            for e in by_licence
        )  # fmt: skip
        categories, category_weights = zip(*CATEGORY_WEIGHTS, strict=True)
        years = list(range(1385, 1403))
        year_weights = [1.04 ** (y - 1385) for y in years]

        def estate_for(approved: int):
            upto = bisect.bisect_right(licences, approved)
            return pick(rng, by_licence, cum, upto) if upto else None

        def duration() -> int:
            return min(1_400, max(120, int(rng.lognormvariate(math.log(400), 0.45))))

        def natural() -> ProjectRow:
            """A project as it happens: approved, started, finished, suspended or cancelled."""
            while True:
                year = rng.choices(years, year_weights)[0]
                approved = rng.randint(*year_range(year))
                if approved > ORD_END - 20:
                    continue
                estate = estate_for(approved)
                if estate is not None:
                    break
            length = duration()
            start = approved + rng.randint(15, 150)
            row = ProjectRow(
                approved=approved, estate=estate, start=start, planned_end=None, end=None, stop=None
            )
            fate = rng.random()
            if start > ORD_END:
                row.start, row.status = None, ProjectStatus.PLANNED
            elif fate < 0.04:
                row.stop = min(ORD_END, approved + rng.randint(20, 400))
                row.status = ProjectStatus.CANCELLED
                if row.stop < start:
                    row.start = None  # cancelled before work began
            elif fate < 0.10:
                row.stop = start + int(length * rng.uniform(0.2, 0.8))
                if row.stop > ORD_END:
                    row.stop, row.status = None, ProjectStatus.UNDERWAY
                else:
                    row.status = ProjectStatus.SUSPENDED
            elif start + length <= ORD_END:
                row.end, row.status = start + length, ProjectStatus.COMPLETED
            else:
                row.status = ProjectStatus.UNDERWAY
            if row.start is not None:
                row.planned_end = row.start + max(1, int(length * rng.uniform(0.75, 1.0)))
            return row

        def underway_at_article_day() -> ProjectRow:
            """A project underway at the end of month 9 of 1401, whatever became of it later."""
            while True:
                length = duration()
                start = ORD_UNDERWAY - rng.randint(0, length - 1)
                approved = start - rng.randint(15, 150)
                estate = estate_for(approved)
                if estate is not None:
                    break
            row = ProjectRow(approved=approved, estate=estate, start=start, end=None, stop=None)
            row.planned_end = start + max(1, int(length * rng.uniform(0.75, 1.0)))
            fate = rng.random()
            if fate < 0.10:
                row.stop = rng.randint(ORD_UNDERWAY + 1, min(ORD_END, start + length))
                row.status = ProjectStatus.SUSPENDED if fate < 0.07 else ProjectStatus.CANCELLED
            elif start + length <= ORD_END:
                row.end, row.status = start + length, ProjectStatus.COMPLETED
            else:
                row.status = ProjectStatus.UNDERWAY
            return row

        rows = [natural() for _ in range(total)]
        # Exactly the article's number underway on its day: re-draw the surplus, or draw more.
        underway = [i for i, row in enumerate(rows) if row.underway_on(ORD_UNDERWAY)]
        self.stats["projects_underway_natural"] = len(underway)
        if len(underway) > underway_target:
            for i in rng.sample(underway, len(underway) - underway_target):
                row = natural()
                while row.underway_on(ORD_UNDERWAY):
                    row = natural()
                rows[i] = row
        else:
            others = [i for i, row in enumerate(rows) if not row.underway_on(ORD_UNDERWAY)]
            for i in rng.sample(others, underway_target - len(underway)):
                rows[i] = underway_at_article_day()

        for row in rows:
            row.category = rng.choices(categories, category_weights)[0]
            estate = row.estate
            internal = 0.75 if estate.kind == "deprived_zone" else 0.45  # "mainly ... internal resources"
            row.source = rng.choices(
                [
                    FundingSource.INTERNAL,
                    FundingSource.NATIONAL_BUDGET,
                    FundingSource.PROVINCIAL,
                    FundingSource.PRIVATE,
                ],
                [internal, (1 - internal) * 0.55, (1 - internal) * 0.35, (1 - internal) * 0.10],
            )[0]
            size = {"metropolis": 1.3, "big": 1.15, "small": 1.0}[estate.county["size_class"]]
            row.credit = (
                price_index(jparts(row.approved)[0])
                * rng.lognormvariate(0, 0.7)
                * CATEGORY_COST[row.category]
                * size
                * (0.6 if estate.kind == "deprived_zone" else 1.0)
            )
            row.seed = rng.getrandbits(64)
        # "60 trillion rials ... of credit" for the projects underway on the article's day.
        underway_credit = sum(row.credit for row in rows if row.underway_on(ORD_UNDERWAY))
        unit_rials = s.money(plan.UNDERWAY_CREDIT) / underway_credit
        for row in rows:
            row.credit = max(1, round(row.credit * unit_rials / 1e6)) * 10**6  # credits are in million rials

        rows.sort(key=lambda row: (row.approved, row.estate.pk, row.seed))
        seq: Counter = Counter()
        phase: Counter = Counter()
        for pk, row in enumerate(rows, start=1):
            row.pk = pk
            year = jparts(row.approved)[0]
            seq[year] += 1
            template = rng.randrange(len(names.PROJECT_TITLES[row.category]))
            part = rng.randrange(len(names.ESTATE_PARTS))
            phase[(row.estate.pk, row.category, template, part)] += 1
            title, title_en = names.project_title(
                row.category, template, part, row.estate.name_fa, row.estate.name_en,
                phase[(row.estate.pk, row.category, template, part)],
            )  # fmt: skip
            progress = Decimal(0)
            if row.status == ProjectStatus.COMPLETED:
                progress = Decimal(100)
            elif row.start is not None:
                reached = row.stop or ORD_END
                share = (reached - row.start) / max(1, row.planned_end - row.start)
                progress = Decimal(f"{min(97.0, max(1.0, 100 * share * rng.uniform(0.6, 0.95))):.2f}")
            self.writer.add(
                DevelopmentProject(
                    pk=pk,
                    code=f"P{year}-{seq[year]:05d}",
                    estate_id=row.estate.pk,
                    title=title,
                    title_en=title_en,
                    category=row.category,
                    credit_rials=row.credit,
                    funding_source=row.source,
                    approved_date=day(row.approved),
                    start_date=day(row.start) if row.start is not None else None,
                    planned_end_date=day(row.planned_end) if row.planned_end is not None else None,
                    actual_end_date=day(row.end) if row.end is not None else None,
                    physical_progress=progress,
                    status=row.status,
                    stopped_date=day(row.stop) if row.stop is not None else None,
                )
            )
        self.writer.flush(DevelopmentProject)
        self.stats["projects_underway"] = sum(1 for row in rows if row.underway_on(ORD_UNDERWAY))
        self.progress("projects", f"{len(rows):,}")
        self.make_disbursements(rows)
        self.make_planned(rows)

    def payments(self, row: ProjectRow) -> list[tuple[int, float, str]]:
        """(date, amount in credit rials before calibration, funding source) of a project's payments."""
        if row.start is None:
            return []
        rng = random.Random(row.seed)
        length = max(1, row.planned_end - row.start)
        if row.status == ProjectStatus.COMPLETED:
            last, spent = row.end, rng.uniform(0.9, 1.05)
        elif row.stop is not None:
            last = row.stop
            spent = min(0.95, (row.stop - row.start) / length) * rng.uniform(0.7, 1.0)
        else:
            last = ORD_END
            spent = min(0.95, (ORD_END - row.start) / length) * rng.uniform(0.8, 1.0)
        dates = []
        when = row.start + rng.randint(7, 50)
        while when <= last:
            dates.append(when)
            when += rng.randint(18, 58)
        if not dates:
            dates.append(rng.randint(row.start, last))
        if row.status == ProjectStatus.COMPLETED and rng.random() < 0.15:
            retention = row.end + rng.randint(15, 90)  # the retention released after hand-over
            if retention <= ORD_END:
                dates.append(retention)
        shares = [rng.gammavariate(2.0, 1.0) for _ in dates]
        scale = row.credit * max(spent, 0.02) / sum(shares)
        sources = [FundingSource.INTERNAL, FundingSource.NATIONAL_BUDGET, FundingSource.PROVINCIAL]
        return [
            (when, share * scale, row.source if rng.random() < 0.88 else rng.choice(sources))
            for when, share in zip(dates, shares, strict=True)
        ]

    def spending_period(self, ordinal: int):
        """The calibration period of a payment: its year, 1401 split at the end of month 8."""
        if ordinal < ORD_START:
            return "before"
        year = jparts(ordinal)[0]
        if year == 1401:
            return "1401a" if ordinal <= plan.SPENDING_1401.end.toordinal() else "1401b"
        return year

    def make_disbursements(self, rows: list[ProjectRow]) -> None:
        s = self.s
        raw: Counter = Counter()
        for row in rows:
            for when, amount, _source in self.payments(row):
                raw[self.spending_period(when)] += amount
        # The article's spending in each period: payments are scaled per period to it.
        factor = {
            period: s.money(target) / raw[period] for period, target in plan.SPENDING.items() if raw[period]
        }
        factor["before"] = factor.get(1398, 1.0)  # before the data years: as in the first of them
        self.stats["spending_factors"] = {str(k): round(v, 3) for k, v in factor.items()}
        make = RowMaker(
            Disbursement, "id", "project_id", "date", "amount_rials", "funding_source", "reference"
        )
        pk = 0
        for row in rows:
            for when, amount, source in self.payments(row):
                pk += 1
                self.writer.add(
                    make(
                        pk,
                        row.pk,
                        day(when),
                        max(1_000, round(amount * factor[self.spending_period(when)] / 1_000) * 1_000),
                        source,
                        "{:04d}{:02d}{:02d}-{:07d}".format(*jparts(when), pk),
                    )
                )
            if pk and row.pk % 5_000 == 0:
                self.progress("disbursements", f"{pk:,}")
        self.writer.flush(Disbursement)
        self.progress("disbursements", f"{pk:,}")

    def plan_months(self, row: ProjectRow, year: int) -> list[tuple[int, int]]:
        """The months of `year` a project's plan for that year covers (made at the start of the year)."""
        start, end = year_range(year)
        if row.start is None or row.start > end or row.finish < start:
            return []
        until = max(row.planned_end, min(row.finish, ORD_END))
        first = jparts(max(row.start, start))[1]
        last = jparts(min(until, end))[1]
        return [(year, month) for month in range(first, last + 1)]

    @staticmethod
    def monthly_plan(row: ProjectRow) -> float:
        """The credit spread evenly over the planned duration, per month (before calibration)."""
        if row.start is None:
            return 0.0
        return row.credit * 30.4 / (max(row.planned_end, row.start + 30) - row.start)

    def make_planned(self, rows: list[ProjectRow]) -> None:
        s = self.s
        years = (1400, 1401, 1402)

        def period(year, month):
            return ("1401a" if month <= 8 else "1401b") if year == 1401 else year

        raw: Counter = Counter()
        for row in rows:
            monthly = self.monthly_plan(row)
            for year in years:
                for y, m in self.plan_months(row, year):
                    raw[period(y, m)] += monthly
        factor = {key: s.money(target) / raw[key] for key, target in plan.PLANNED.items() if raw[key]}
        self.stats["planned_factors"] = {str(k): round(v, 3) for k, v in factor.items()}
        month_start = {(y, m): jalali.month_start(y, m) for y in years for m in range(1, 13)}
        make = RowMaker(
            PlannedDisbursement, "id", "project_id", "year", "month", "month_start", "amount_rials"
        )
        pk = 0
        for row in rows:
            monthly = self.monthly_plan(row)
            for year in years:
                for y, m in self.plan_months(row, year):
                    pk += 1
                    amount = monthly * factor[period(y, m)]
                    self.writer.add(
                        # month_start too: bulk_create skips save(), which would derive it.
                        make(pk, row.pk, y, m, month_start[(y, m)], round(amount / 1_000) * 1_000)
                    )
        self.writer.flush(PlannedDisbursement)
        self.progress("planned disbursements", f"{pk:,}")

    # ---- exchange rates and targets -------------------------------------------------------------

    def rate_series(self, anchors, dates, rng, noise: float) -> list[tuple[int, Decimal]]:
        points = [(jalali_ordinal(*ymd), math.log(rate)) for ymd, rate in anchors]
        pinned = {ordinal for ordinal, _ in points}
        out, wobble = [], 0.0
        for ordinal in dates:
            i = bisect.bisect_right([p[0] for p in points], ordinal)
            if i == 0:
                level = points[0][1]
            elif i == len(points):
                level = points[-1][1]
            else:
                (x0, y0), (x1, y1) = points[i - 1], points[i]
                level = y0 + (y1 - y0) * (ordinal - x0) / (x1 - x0)
            wobble = 0.8 * wobble + rng.gauss(0, noise)
            value = level if ordinal in pinned else level + wobble
            out.append((ordinal, Decimal(round(math.exp(value) / 10) * 10)))
        return out

    def make_exchange_rates(self) -> None:
        rng = self.rng("rates")
        weekly_history = list(range(jalali_ordinal(1385), ORD_START, 7))
        daily = list(range(ORD_START, ORD_END + 1))
        pinned = [jalali_ordinal(*ymd) for ymd, _ in FREE_MARKET_USD]
        free_dates = sorted(set(weekly_history + daily + [p for p in pinned if p <= ORD_END]))
        series = {
            RateSource.FREE_MARKET: self.rate_series(FREE_MARKET_USD, free_dates, rng, 0.006),
            RateSource.NIMA: self.rate_series(
                NIMA_USD, list(range(jalali_ordinal(1397, 5, 1), ORD_END + 1, 7)), rng, 0.003
            ),
            RateSource.OFFICIAL: self.rate_series(
                OFFICIAL_USD,
                [jalali_ordinal(y, m) for y in range(1385, 1403) for m in range(1, 13)],
                rng,
                0.0,
            ),
        }
        pk = 0
        for source, points in series.items():
            for ordinal, rate in points:
                pk += 1
                self.writer.add(
                    ExchangeRate(pk=pk, date=day(ordinal), currency="USD", source=source, rials_per_unit=rate)
                )
        self.writer.flush(ExchangeRate)
        self.progress("exchange rates", f"{pk:,}")

    def make_targets(self) -> None:
        s = self.s
        pk = 0
        for metric, values in plan.TARGETS.items():
            for year, value in values.items():
                bounds = jalali.year_bounds(year)
                pk += 1
                amount = s.money(value) if metric == "infrastructure_spending" else s.n(value, 1)
                self.writer.add(
                    Target(
                        pk=pk, metric=metric, year=year, start_date=bounds.start, end_date=bounds.end, value=amount,
                        note=f"برنامه سال {to_persian_digits(year)} (داده نمایشی)",
                    )
                )  # fmt: skip
        # A few provinces plan their own 1401: their share of the nation's units, a little ambition on top.
        units_in = Counter(self.unit_county)
        county_province = {c["id"]: c["province_id"] for c in self.counties}
        per_province: Counter = Counter()
        for county, count in units_in.items():
            per_province[county_province[county]] += count
        total_units = sum(per_province.values())
        bounds = jalali.year_bounds(1401)
        iso_to_id = {p["iso_code"]: p["id"] for p in self.provinces.values()}
        for iso in plan.PROVINCIAL_TARGET_PROVINCES:
            province = iso_to_id.get(iso)
            if province is None:
                continue
            share = per_province[province] / total_units
            for metric in ("units_revived", "workshops_opened"):
                pk += 1
                self.writer.add(
                    Target(
                        pk=pk, metric=metric, year=1401, start_date=bounds.start, end_date=bounds.end,
                        province_id=province, value=max(1, round(plan.TARGETS[metric][1401] * s.factor * share * 1.05)),
                        note="برنامه استانی سال ۱۴۰۱ (داده نمایشی)",
                    )
                )  # fmt: skip
        self.writer.flush(Target)
        self.progress("targets", f"{pk:,}")
