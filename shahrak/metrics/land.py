"""The figures of land and workshops (DESIGN.md, "Land and workshops: from application to contract"),
each defined once, here, and registered in the engine after the article's eleven.

Hectares are contract (or plot) areas in m² ÷ 10,000, to four decimals (one m²).
"""

import datetime as dt
import functools
import operator
import statistics
from collections import defaultdict
from decimal import Decimal

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, When

from shahrak.core.jalali import Period
from shahrak.estates.models import WorkshopUnit
from shahrak.land.models import (
    AllocationContract,
    Application,
    ApplicationStatus,
    Instalment,
    LandPayment,
    Programme,
    ProgrammeMember,
    WorkshopLease,
)
from shahrak.regions.models import DEPRIVED_STATUSES

from .base import rows_by_province, where
from .definitions import Metric
from .models import MonthlyTally, TalliedSpan

HA = Decimal("0.0001")


def hectares(m2) -> Decimal:
    return (Decimal(m2 or 0) / 10_000).quantize(HA)


def _deprivation_rows(totals: dict, fields) -> list[dict]:
    labels = {
        True: ("در مناطق کمتر توسعه‌یافته", "in deprived counties"),
        False: ("سایر شهرستان‌ها", "elsewhere"),
    }
    rows = []
    for key in (True, False):
        found = totals.get(key, {})
        label_fa, label_en = labels[key]
        row = {"key": "deprived" if key else "not_deprived", "label_fa": label_fa, "label_en": label_en}
        row.update({name: found.get(name, 0) for name in fields})
        rows.append(row)
    return rows


def _add(slot: dict, key, **values):
    target = slot.setdefault(key, defaultdict(int))
    for name, value in values.items():
        target[name] += value or 0


def _contract_totals(queryset, context, by_deprivation=False):
    """(value, breakdowns) of contracts: count, hectares, fee; by province (and deprived or not)."""
    grouped = (
        queryset.values("estate__county_id", "estate__county__deprivation")
        .annotate(count=Count("*"), m2=Sum("area_m2"), fee=Sum("fee_rials"))
        .order_by()
    )
    provinces, deprived, count, m2, fee = {}, {}, 0, Decimal(0), 0
    for row in grouped:
        province = context.province_of_county(row["estate__county_id"])["id"]
        _add(provinces, province, count=row["count"], m2=row["m2"], fee_rials=row["fee"])
        is_deprived = row["estate__county__deprivation"] in DEPRIVED_STATUSES
        _add(deprived, is_deprived, count=row["count"], m2=row["m2"], fee_rials=row["fee"])
        count, m2, fee = count + row["count"], m2 + (row["m2"] or 0), fee + (row["fee"] or 0)
    for slot in (*provinces.values(), *deprived.values()):
        slot["hectares"] = hectares(slot.pop("m2"))
    breakdowns = {"province": rows_by_province(context, provinces, ("count", "hectares", "fee_rials"))}
    if by_deprivation:
        breakdowns["deprivation"] = _deprivation_rows(deprived, ("count", "hectares", "fee_rials"))
    return {"count": count, "hectares": hectares(m2), "fee_rials": fee}, breakdowns


class LandAllocated(Metric):
    """Allocation contracts signed in the period: count, hectares and right-of-use fee (rials); by
    province and by whether the county is deprived."""

    name = "land_allocated"
    label_fa = "زمین واگذارشده"
    label_en = "Land allocated"
    record_model = AllocationContract
    depends_on_deprivation = True

    def records(self, period, scope, filters):
        return AllocationContract.objects.filter(
            where(AllocationContract, scope, filters), signed_date__range=(period.start, period.end)
        )

    def compute(self, period, scope, filters, context, **options):
        value, breakdowns = _contract_totals(
            self.records(period, scope, filters), context, by_deprivation=True
        )
        return self.result(value, breakdowns, period, scope, filters)


class Applications(Metric):
    """Land applications received (applied in the period), decided, approved and rejected (decided in
    the period; an approval stays one when a contract follows or the applicant withdraws later); and
    the median days from application to contract of the contracts signed in the period."""

    name = "applications"
    label_fa = "درخواست‌های تخصیص زمین"
    label_en = "Land applications"
    record_model = Application

    def records(self, period, scope, filters):
        return Application.objects.filter(
            where(Application, scope, filters), applied_date__range=(period.start, period.end)
        )

    def compute(self, period, scope, filters, context, **options):
        place = where(Application, scope, filters)
        received = (
            Application.objects.filter(place, applied_date__range=(period.start, period.end))
            .values("estate__county_id")
            .annotate(n=Count("*"))
            .order_by()
        )
        decided = (
            Application.objects.filter(place, decided_date__range=(period.start, period.end))
            .values("estate__county_id")
            .annotate(
                rejected=Count("pk", filter=Q(status=ApplicationStatus.REJECTED)),
                approved=Count("pk", filter=~Q(status=ApplicationStatus.REJECTED)),
            )
            .order_by()
        )
        provinces = {}
        for row in received:
            _add(provinces, context.province_of_county(row["estate__county_id"])["id"], received=row["n"])
        for row in decided:
            _add(
                provinces, context.province_of_county(row["estate__county_id"])["id"],
                approved=row["approved"], rejected=row["rejected"], decided=row["approved"] + row["rejected"],
            )  # fmt: skip
        fields = ("received", "decided", "approved", "rejected")
        totals = {name: sum(slot.get(name, 0) for slot in provinces.values()) for name in fields}
        days = [
            (signed - applied).days
            for signed, applied in AllocationContract.objects.filter(
                where(AllocationContract, scope, filters),
                signed_date__range=(period.start, period.end),
                application__isnull=False,
            )
            .order_by()  # the median needs no order: no sort of the contracts
            .values_list("signed_date", "application__applied_date")
        ]
        totals["median_days_to_contract"] = statistics.median(days) if days else None
        for slot in provinces.values():
            for name in fields:
                slot.setdefault(name, 0)
        breakdowns = {"province": rows_by_province(context, provinces, fields)}
        return self.result(totals, breakdowns, period, scope, filters)


class StalledContracts(Metric):
    """Contracts active at the end of the period whose construction deadline, extensions granted by
    then included, is before it: count and hectares; by province."""

    name = "stalled_contracts"
    label_fa = "قراردادهای متوقف (گذشته از مهلت ساخت)"
    label_en = "Contracts past their construction deadline"
    record_model = AllocationContract

    def records(self, period, scope, filters):
        place = where(AllocationContract, scope, filters)
        return AllocationContract.objects.filter(place).stalled_on(period.end)

    def compute(self, period, scope, filters, context, **options):
        value, breakdowns = _contract_totals(self.records(period, scope, filters), context)
        value.pop("fee_rials")
        for row in breakdowns["province"]:
            row.pop("fee_rials")
        return self.result(value, breakdowns, period, scope, filters)


class LandReclaimed(Metric):
    """Contracts terminated in the period (their plots reclaimed): count and hectares; by province."""

    name = "land_reclaimed"
    label_fa = "زمین بازپس‌گرفته"
    label_en = "Land reclaimed"
    record_model = AllocationContract

    def records(self, period, scope, filters):
        return AllocationContract.objects.filter(
            where(AllocationContract, scope, filters), terminated_date__range=(period.start, period.end)
        )

    def compute(self, period, scope, filters, context, **options):
        value, breakdowns = _contract_totals(self.records(period, scope, filters), context)
        value.pop("fee_rials")
        for row in breakdowns["province"]:
            row.pop("fee_rials")
        return self.result(value, breakdowns, period, scope, filters)


def _owed():
    """Instalments still owed: those of a terminated contract that fall due after its termination are not."""
    return Q(contract__terminated_date__isnull=True) | Q(due_date__lte=F("contract__terminated_date"))


# Its monthly series (engine.SERIES), tallied for finished years (metrics/models.GROUPS["land"]).
DUES, RECEIVED = "land_collection", "land_collection:received"


class LandCollection(Metric):
    """Instalments (the cash share included) due in the period, land payments received in it, the
    collection rate (received ÷ due; empty when nothing was due) and the arrears at the end of the
    period = Σ due on or before it − Σ paid on or before it. Instalments of a terminated contract
    falling due after its termination are not owed. By province."""

    name = "land_collection"
    label_fa = "وصول اقساط زمین"
    label_en = "Land instalment collection"
    record_model = Instalment

    def records(self, period, scope, filters):
        return Instalment.objects.filter(
            where(Instalment, scope, filters), _owed(), due_date__range=(period.start, period.end)
        )

    def received_records(self, period, scope, filters):
        """The land payments received in the period (the monthly series "received", engine.py)."""
        return LandPayment.objects.filter(
            where(LandPayment, scope, filters), date__range=(period.start, period.end)
        )

    def compute(self, period, scope, filters, context, **options):
        county = "contract__estate__county_id"
        start, end = period.start, period.end
        # Sums over the period and to date: the whole months of finished years from the monthly
        # tallies when they are current and no filter is asked (metrics/tallies.py), every other day
        # from the records: the period's days before `first`, and every day from `until` on.
        span = None
        if filters.estate_kind is None and not filters.deprived_only:
            span = MonthlyTally.objects.span((DUES, RECEIVED), period, scope)
        span = span or TalliedSpan.none((DUES, RECEIVED))
        first, until = span.first, span.until
        # The days counted from the records: the period's before `first`, and all from `until` on.
        days = [(a, b) for a, b in ((start, min(first - dt.timedelta(days=1), end)), (until, end)) if a <= b]
        counted = Period(min(start, until), end)
        provinces = {}
        for key, records, field, names in (
            (DUES, self.records, "due_date", ("due_rials", "due_to_date")),
            (RECEIVED, self.received_records, "date", ("received_rials", "paid_to_date")),
        ):
            for county_id, rials in span.before[key].items():
                slot = context.province_of_county(county_id)["id"]
                _add(
                    provinces, slot, **dict(zip(names, (span.within[key].get(county_id), rials), strict=True))
                )
            if not days:
                continue  # every day of the period and before it is in the tallies
            tallied = Q(**{f"{field}__gte": first, f"{field}__lt": until})
            rows = (
                records(counted, scope, filters)
                .filter(functools.reduce(operator.or_, (Q(**{f"{field}__range": r}) for r in days)))
                .values_list(county)
                .annotate(
                    in_period=Sum("amount_rials", filter=Q(**{f"{field}__gte": start}) & ~tallied),
                    to_date=Sum("amount_rials", filter=Q(**{f"{field}__gte": until})),
                )
                .order_by()
            )
            for county_id, in_period, to_date in rows:
                slot = context.province_of_county(county_id)["id"]
                _add(provinces, slot, **dict(zip(names, (in_period, to_date), strict=True)))
        for slot in provinces.values():
            slot["arrears_rials"] = slot.pop("due_to_date", 0) - slot.pop("paid_to_date", 0)
            slot.setdefault("due_rials", 0)
            slot.setdefault("received_rials", 0)
            slot["collection_rate"] = _rate(slot["received_rials"], slot["due_rials"])
        fields = ("due_rials", "received_rials", "collection_rate", "arrears_rials")
        due = sum(slot["due_rials"] for slot in provinces.values())
        received = sum(slot["received_rials"] for slot in provinces.values())
        value = {
            "due_rials": due,
            "received_rials": received,
            "collection_rate": _rate(received, due),
            "arrears_rials": sum(slot["arrears_rials"] for slot in provinces.values()),
        }
        return self.result(
            value, {"province": rows_by_province(context, provinces, fields)}, period, scope, filters
        )


def _rate(part, whole) -> Decimal | None:
    return (Decimal(part) / Decimal(whole)).quantize(HA) if whole else None


def _leases_on(day):
    return WorkshopLease.objects.covering(day)


class WorkshopOccupancy(Metric):
    """At the end of the period D: workshops completed on or before D, those occupied (a lease covers
    D), those vacant, and the median vacancy age in days of the vacant ones (from the day after their
    last lease ended, or from completion when never leased, to D); by province."""

    name = "workshop_occupancy"
    label_fa = "اشغال کارگاه‌ها"
    label_en = "Workshop occupancy"
    record_model = WorkshopUnit

    def records(self, period, scope, filters):
        return WorkshopUnit.objects.filter(
            where(WorkshopUnit, scope, filters), completed_date__lte=period.end
        )

    def compute(self, period, scope, filters, context, **options):
        day = period.end
        # Counted in the database, not a row per workshop: per county, the workshops and the occupied
        # ones; for the vacant ones, how many have each start of vacancy (the day after their last
        # lease ended, or completion when never leased), which is all the median needs.
        leases = WorkshopLease.objects.filter(workshop=OuterRef("pk"))
        workshops = self.records(period, scope, filters).annotate(occupied=Exists(leases.covering(day)))
        by_county = (
            workshops.values_list("estate__county_id")
            .annotate(completed=Count("pk"), occupied_count=Count("pk", filter=Q(occupied=True)))
            .order_by()
        )
        provinces = {}
        for county_id, completed, occupied in by_county:
            province = context.province_of_county(county_id)["id"]
            _add(provinces, province, completed=completed, occupied=occupied, vacant=completed - occupied)
        last_end = leases.filter(end_date__lt=day).order_by("-end_date").values("end_date")[:1]
        vacancies = (
            workshops.filter(occupied=False)
            .annotate(last_end=Subquery(last_end))
            .annotate(completed_never_leased=Case(When(last_end__isnull=True, then=F("completed_date"))))
            .values_list("last_end", "completed_never_leased")
            .annotate(workshops=Count("pk"))
            .order_by()
        )
        ages = []
        for last_end, completed, count in vacancies:
            since = last_end + dt.timedelta(days=1) if last_end else completed
            ages.extend([(day - since).days] * count)
        fields = ("completed", "occupied", "vacant")
        value = {name: sum(slot[name] for slot in provinces.values()) for name in fields}
        value["median_vacancy_days"] = statistics.median(ages) if ages else None
        return self.result(
            value, {"province": rows_by_province(context, provinces, fields)}, period, scope, filters
        )


class ProgrammeProgress(Metric):
    """Each programme's member workshops in scope at the end of the period D: planned (members),
    started (construction started on or before D), completed, opened (handed over) and occupied (a
    lease covers D), against the programme's target; the ratio is opened ÷ target."""

    name = "programme_progress"
    label_fa = "پیشرفت برنامه‌ها"
    label_en = "Programme progress"
    record_model = WorkshopUnit

    def records(self, period, scope, filters):
        members = ProgrammeMember.objects.values("workshop_id")
        return WorkshopUnit.objects.filter(where(WorkshopUnit, scope, filters), pk__in=members)

    def compute(self, period, scope, filters, context, **options):
        day = period.end
        place = where(ProgrammeMember, scope, filters)
        grouped = {
            row["programme_id"]: row
            for row in ProgrammeMember.objects.filter(place)
            # The member's workshop (not the member's own id) is what a lease covers.
            .annotate(occupied=Exists(_leases_on(day).filter(workshop=OuterRef("workshop_id"))))
            .values("programme_id")
            .annotate(
                planned=Count("pk"),
                started=Count("pk", filter=Q(workshop__construction_started__lte=day)),
                completed=Count("pk", filter=Q(workshop__completed_date__lte=day)),
                opened=Count("pk", filter=Q(workshop__opened_date__lte=day)),
                occupied_n=Count("pk", filter=Q(occupied=True)),
            )
            .order_by()
        }
        fields = ("planned", "started", "completed", "opened", "occupied")
        rows = []
        for programme in Programme.objects.order_by("code"):
            found = grouped.get(programme.pk, {})
            row = {
                "key": programme.code,
                "label_fa": programme.name_fa,
                "label_en": programme.name_en or programme.name_fa,
                "target": programme.target,
                **{name: found.get("occupied_n" if name == "occupied" else name, 0) for name in fields},
            }
            row["ratio"] = _rate(row["opened"], programme.target)
            rows.append(row)
        value = {
            "target": sum(r["target"] for r in rows),
            **{name: sum(r[name] for r in rows) for name in fields},
        }
        value["ratio"] = _rate(value["opened"], value["target"])
        return self.result(value, {"programmes": rows}, period, scope, filters)


LAND_METRICS = (
    LandAllocated(),
    Applications(),
    StalledContracts(),
    LandReclaimed(),
    LandCollection(),
    WorkshopOccupancy(),
    ProgrammeProgress(),
)
