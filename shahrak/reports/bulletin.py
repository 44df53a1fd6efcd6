"""The bulletin: the news article regenerated from the records, in Persian or English.

Every number comes from the metrics engine (`compute_all` for the period, `compute` for what is
planned for the rest of the year) and is worded the way a reader of the language expects: Persian
digits and «هزار میلیارد ریال» in Persian, "40 trillion rials (about $105.2 million)" in English.
The same `Bulletin` is printed as text and typeset as a PDF (pdf.py).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from shahrak.core.jalali import Period, format_jalali_long, months_of_year, year_bounds
from shahrak.core.money import format_rials_short, format_usd_short, group_digits, rials_to_usd
from shahrak.core.text import to_persian_digits
from shahrak.metrics.base import Filters, MetricResult
from shahrak.metrics.engine import compute, compute_all
from shahrak.regions.scope import NATION, Scope

MONTH_COUNT_FA = ["", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه", "ده", "یازده", "دوازده"]
MONTH_COUNT_EN = [
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]
MONTHS_GREGORIAN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                    "October", "November", "December"]  # fmt: skip
# Categories named in the sentence on projects underway (the largest by count).
TOP_CATEGORIES = 3
TOP_COUNTIES = 3
# Causes of idling as a news sentence words them ("idle ... because of ...").
CAUSES_EN = {
    "finance": "financial problems",
    "raw_materials": "a lack of raw materials",
    "market": "a lack of market",
    "machinery": "worn-out machinery",
    "licensing": "licensing problems",
    "utilities": "problems with water, power or gas supply",
    "legal": "legal problems",
    "partners": "disputes between partners",
    "other": "other reasons",
}
RATE_SOURCES_FA = {"free_market": "بازار آزاد", "official": "رسمی بانک مرکزی", "nima": "سامانه نیما"}
RATE_SOURCES_EN = {"free_market": "free-market", "official": "official", "nima": "NIMA"}


@dataclass
class Figure:
    """One line of the bulletin's table of figures."""

    label: str
    value: str


@dataclass
class Bulletin:
    lang: str
    period: Period
    scope: Scope
    title: str
    subtitle: str
    paragraphs: list[str]
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dateline: str = ""  # the issue date, worded: a press release says when it was issued

    @property
    def direction(self) -> str:
        return "rtl" if self.lang == "fa" else "ltr"

    def as_text(self) -> str:
        width = max(len(figure.label) for figure in self.figures) if self.figures else 0
        lines = [self.title, self.subtitle, *([self.dateline] if self.dateline else []), ""]
        for paragraph in self.paragraphs:
            lines += [paragraph, ""]
        for figure in self.figures:
            lines.append(f"  {figure.label.ljust(width)}  {figure.value}")
        if self.notes:
            lines.append("")
            lines += [f"* {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def bulletin_period(year: int, months: int = 12) -> Period:
    """The first `months` months of a Solar Hijri year (12: the whole year)."""
    if not 1 <= months <= 12:
        raise ValueError(f"months must be 1 to 12, not {months}")
    return year_bounds(year) if months == 12 else months_of_year(year, 1, months)


def build_bulletin(
    year: int,
    months: int = 12,
    lang: str = "fa",
    scope: Scope = NATION,
    filters: Filters | None = None,
    issued: dt.date | None = None,
) -> Bulletin:
    """The bulletin of the first `months` months of `year` for the scope, in `lang` ('fa' or 'en'),
    issued on `issued` (default: today in Tehran)."""
    filters = filters or Filters()  # the default rate source read now, not at import
    if lang not in ("fa", "en"):
        raise ValueError(f"the bulletin is written in 'fa' or 'en', not {lang!r}")
    period = bulletin_period(year, months)
    results = compute_all(period, scope, filters)
    rest = None
    if months < 12:
        # The rest of the year's rials only: its dollars are at the rate of this bulletin's last day
        # (Writer.money), not at the rate of the year's end that the figure itself would use.
        whole = year_bounds(year)
        rest = compute(
            "planned_spending", Period(period.end + dt.timedelta(days=1), whole.end), scope, filters
        )
    writer = (PersianWriter if lang == "fa" else EnglishWriter)(year, months, period, scope, filters)
    bulletin = writer.write(results, rest)
    bulletin.dateline = writer.dateline(issued or timezone.localdate())
    return bulletin


def share(part: int, whole: int) -> Decimal | None:
    """Percent, rounded: whole numbers, or one decimal below 10%."""
    if not whole:
        return None
    percent = Decimal(part) * 100 / Decimal(whole)
    return percent.quantize(Decimal("1") if percent >= 10 else Decimal("0.1"), ROUND_HALF_UP)


def rows_by_key(result: MetricResult, breakdown: str) -> dict[str, dict]:
    return {row["key"]: row for row in result.breakdowns.get(breakdown, [])}


def established_parts(result: MetricResult) -> tuple[int, int, int]:
    """Of the units established: (micro or small, knowledge-based, high or medium-high technology)."""
    sizes = rows_by_key(result, "size_class")
    tech = rows_by_key(result, "tech_intensity")
    return (
        sizes["micro"]["count"] + sizes["small"]["count"],
        rows_by_key(result, "knowledge_based")["knowledge_based"]["count"],
        tech["high"]["count"] + tech["medium_high"]["count"],
    )


def balance_parts(result: MetricResult) -> tuple[dict, int, int, Decimal | None]:
    """The regional-balance finding: (the deprived counties' row, spending and population of
    metropolises and big counties together, the within-province share of the Theil index)."""
    sizes = rows_by_key(result, "size_class")
    return (
        rows_by_key(result, "deprivation")["deprived"],
        sizes["metropolis"]["spending_rials"] + sizes["big"]["spending_rials"],
        sizes["metropolis"]["population"] + sizes["big"]["population"],
        share_of(result.value["theil_within"], result.value["theil"]),
    )


def target_row(results, metric: str) -> dict | None:
    for row in results["target_progress"].breakdowns["targets"]:
        if row["metric"] == metric:
            return row
    return None


class Writer:
    """Words the figures in one language; subclasses hold the sentences."""

    lang = "en"

    def __init__(self, year: int, months: int, period: Period, scope: Scope, filters: Filters | None = None):
        self.year, self.months, self.period, self.scope, self.filters = (
            year,
            months,
            period,
            scope,
            filters or Filters(),
        )

    # Numbers as the reader expects them.
    def n(self, number) -> str:
        return group_digits(number, 0, self.lang)

    def pct(self, value: Decimal | None) -> str:
        raise NotImplementedError

    def decimal(self, value: float, places: int = 2) -> str:
        return group_digits(value, places, self.lang)

    def money(self, rials: int) -> str:
        """Rials in words and, in brackets, dollars at the bulletin's one rate (DESIGN.md "Dollars in a
        bulletin"): the rate in force on the bulletin's last day, named in the footnote, also for
        money planned after that day, so that every bracket reconciles with the footnote."""
        words = format_rials_short(rials, self.lang)
        usd = rials_to_usd(rials, self.rate)
        if usd is None:
            return words
        return f"{words} ({self.about} {format_usd_short(usd, self.lang)})"

    def day(self, day: dt.date) -> str:
        return format_jalali_long(day, self.lang)

    def hectares(self, value) -> str:
        """Hectares as a news sentence gives them: one decimal, two below one hectare."""
        return self.decimal(value, 1 if value >= 1 or not value else 2)

    def label(self, row: dict) -> str:
        return row["label_fa"] if self.lang == "fa" else row["label_en"]

    def write(self, results: dict[str, MetricResult], rest: MetricResult | None) -> Bulletin:
        # The rate in force on the period's last day, as the engine resolved it (None: no dollars).
        self.rate = results["infrastructure_spending"].value["rate_at_period_end"]
        paragraphs = [
            self.lead(results),
            self.spending(results["infrastructure_spending"]),
            self.projects(results["projects_underway"], rest, results["planned_spending"]),
            self.revivals(results),
            self.established(results["units_established"]),
            self.estates(results["estates_licensed"], results["estates_in_deprived_areas"]),
            self.land(results["land_allocated"], results["stalled_contracts"]),
            self.idle(results["idle_units"]),
            self.balance(results["regional_balance"]),
        ]
        notes = [self.rate_note(results["infrastructure_spending"]), *self.approval_notes(results)]
        for result in results.values():
            notes += result.warnings
        return Bulletin(
            self.lang,
            self.period,
            self.scope,
            self.title(),
            self.subtitle(),
            [p for p in paragraphs if p],
            self.figures(results, rest),
            [note for note in dict.fromkeys(notes) if note],
        )

    def approval_notes(self, results: dict[str, MetricResult]) -> list[str]:
        """Whether the bulletin's figures rest on approved monthly returns (the engine's approval of
        each figure, metrics/approval.py): one sentence for the period, one per revised figure."""
        approvals = [result.approval for result in results.values() if result.approval]
        if not approvals:
            return []
        first = approvals[0]  # every figure of the bulletin covers the same province-months
        notes = [self.approval_sentence(first["approved"], first["total"])]
        for result in results.values():
            approval = result.approval
            if not approval or approval["status"] != "revised":
                continue
            label = result.label_fa if self.lang == "fa" else result.label_en
            if approval["published_value"] is None:
                notes.append(self.revised_sentence(label, None, None, len(approval["revised_months"])))
            else:
                notes.append(
                    self.revised_sentence(
                        label,
                        self.headline(approval["published_value"]),
                        self.headline(approval["current_value"]),
                        len(approval["revised_months"]),
                    )
                )
        return notes

    def headline(self, value) -> str:
        """A stored figure's headline: a number, or the first of its named numbers (rials in words)."""
        if not isinstance(value, dict):
            return self.n(value)
        key, number = next(iter(value.items()))
        return format_rials_short(number, self.lang) if key.endswith("rials") else self.n(number)

    def figures(self, results, rest) -> list[Figure]:
        spending = results["infrastructure_spending"].value
        underway = results["projects_underway"].value
        revived = results["units_revived"].value
        balance = results["regional_balance"].value
        rows = [
            (self.t_workshops, self.n(results["workshops_opened"].value)),
            (self.t_spending, self.money(spending["rials"])),
            (self.t_underway, self.underway_value(underway["count"], self.money(underway["credit_rials"]))),
            (self.t_revived, self.revived_value(revived["units"], revived["jobs"])),
            (self.t_established, self.n(results["units_established"].value)),
            (self.t_licensed, self.n(results["estates_licensed"].value)),
            (self.t_deprived, self.n(results["estates_in_deprived_areas"].value)),
            (self.t_idle, self.n(results["idle_units"].value)),
        ]
        if rest is not None:
            rows.insert(3, (self.t_planned, self.money(rest.value["rials"])))
        if balance["gini"] is not None:
            rows.append((self.t_gini, self.decimal(balance["gini"])))
        return [Figure(label, value) for label, value in rows]


class EnglishWriter(Writer):
    lang = "en"
    about = "about"
    comma = ", "  # between two figures of one row (never «·», which reads as a Persian zero)
    t_workshops = "Workshops opened"
    t_spending = "Infrastructure spending"
    t_underway = "Projects underway, credit"
    t_planned = "Planned for the rest of the year"
    t_revived = "Idle units revived"
    t_established = "Production units established"
    t_licensed = "Estates licensed"
    t_deprived = "Estates in deprived areas"
    t_idle = "Idle units at period end"
    t_gini = "Gini of spending per person"

    def pct(self, value):
        return "—" if value is None else f"{value}%"

    # Two numbers in one cell are told apart by their words, not by a dot (DESIGN.md "Rounding").
    def underway_value(self, count: int, credit: str) -> str:
        return f"{self.count(count, 'project')}, {credit}"

    def revived_value(self, units: int, jobs: int) -> str:
        return f"{self.count(units, 'unit')}, {self.count(jobs, 'job')}"

    def dateline(self, issued: dt.date) -> str:
        return f"Issued on {self.day(issued)} ({self.gregorian(issued)})"

    def gregorian(self, day: dt.date, with_year: bool = True) -> str:
        text = f"{day.day} {MONTHS_GREGORIAN[day.month - 1]}"
        return f"{text} {day.year}" if with_year else text

    def span(self) -> str:
        if self.months == 12:
            return f"the Iranian year {self.year}"
        if self.months == 1:
            return f"the first month of the Iranian year {self.year}"
        return f"the first {MONTH_COUNT_EN[self.months]} months of the Iranian year {self.year}"

    def where(self) -> str:
        suffix = {"province": " province", "county": " county"}.get(self.scope.level, "")
        return f"{self.scope.name_en}{suffix}"

    def place(self) -> str:
        if self.scope.is_nation:
            return "the country's industrial parks and zones"
        return f"the industrial parks and zones of {self.where()}"

    def title(self) -> str:
        where = "" if self.scope.is_nation else f" of {self.where()}"
        return f"Industrial parks and zones{where}: {self.span()}"

    @staticmethod
    def count(number: int, singular: str, plural: str | None = None) -> str:
        return f"{group_digits(number, 0, 'en')} {singular if number == 1 else plural or singular + 's'}"

    @staticmethod
    def was(number: int) -> str:
        return "was" if number == 1 else "were"

    def subtitle(self) -> str:
        start, end = self.period.start, self.period.end
        same_year = start.year == end.year
        return (
            f"Figures from {self.day(start)} to {self.day(end)} "
            f"({self.gregorian(start, not same_year)} – {self.gregorian(end)})"
        )

    def lead(self, results) -> str:
        spending = results["infrastructure_spending"].value
        opened = results["workshops_opened"].value
        return (
            f"{self.count(opened, 'workshop')} {self.was(opened)} opened in {self.place()} in {self.span()}, "
            f"and {self.money(spending['rials'])} was spent on their "
            f"infrastructure development projects."
        )

    def spending(self, result) -> str:
        value = result.value
        if not value["rials"]:
            return "No payment for infrastructure projects was recorded in the period."
        sources = rows_by_key(result, "funding_source")
        internal = share(sources["internal"]["rials"], value["rials"])
        categories = sorted(result.breakdowns["category"], key=lambda row: -row["rials"])
        named = [
            f"{row['label_en']} {self.pct(share(row['rials'], value['rials']))}"
            for row in categories
            if row["rials"]
        ][:4]
        # The dollars at each payment's own rate are left out: every dollar of a bulletin is at the one
        # rate of its footnote (DESIGN.md "Dollars in a bulletin").
        return (
            f"{self.pct(internal)} of the spending came from the organization's internal resources. "
            f"By category: {', '.join(named)}."
        )

    def projects(self, underway, rest, planned) -> str:
        value = underway.value
        top = sorted(
            (row for row in underway.breakdowns["category"] if row["count"]), key=lambda row: -row["count"]
        )
        named = join_en([f"{row['label_en']} ({self.n(row['count'])})" for row in top[:TOP_CATEGORIES]])
        text = (
            f"On {self.day(self.period.end)}, {self.count(value['count'], 'development project')} "
            f"{self.was(value['count'])} underway, with "
            f"{self.money(value['credit_rials'])} of credit"
        )
        text += f", mainly for {named}." if named else "."
        if rest is not None and rest.value["rials"]:
            text += (
                f" A further {self.money(rest.value['rials'])} is planned to be "
                f"spent on these projects by the end of the year."
            )
        elif rest is None and planned.value["rials"]:
            text += f" {self.money(planned.value['rials'])} had been planned for the year."
        return text

    def revivals(self, results) -> str:
        value = results["units_revived"].value
        text = (
            f"{self.count(value['units'], 'idle production unit')} returned to production"
            f" ({self.count(value['events'], 'revival')}), restoring jobs for "
            f"{self.count(value['jobs'], 'person', 'people')}."
        )
        units, jobs = target_row(results, "units_revived"), target_row(results, "jobs_restored")
        goals = []
        if units:
            goals.append(
                f"reviving {self.n(units['target'])} units ({self.pct(share(units['achieved'], units['target']))} reached)"
            )
        if jobs:
            goals.append(
                f"{self.n(jobs['target'])} jobs ({self.pct(share(jobs['achieved'], jobs['target']))} reached)"
            )
        if goals:
            tense = "was" if self.months == 12 else "is"
            text += f" The target for the year {tense} {' and '.join(goals)}."
        return text

    def established(self, result) -> str:
        if not result.value:
            return ""
        small, kb, high = established_parts(result)
        return (
            f"{self.count(result.value, 'new production unit')} {self.was(result.value)} established: "
            f"{self.n(small)} micro or small, "
            f"{self.n(kb)} knowledge-based and {self.n(high)} in high- or medium-high-technology industries."
        )

    def estates(self, licensed, deprived) -> str:
        zones = rows_by_key(deprived, "estate_kind")["zone"]["count"]  # the article counts zones
        return (
            f"Licences were issued for "
            f"{self.count(licensed.value, 'new industrial park or zone', 'new industrial parks and zones')}. "
            f"{self.count(deprived.value, 'industrial estate')} {'is' if deprived.value == 1 else 'are'} in deprived "
            f"areas, {self.n(zones)} of them industrial zones.{self.provisional(deprived)}"
        )

    def land(self, allocated, stalled) -> str:
        """Land allocated in the period and the contracts past their deadline at its end (the
        figures land_allocated and stalled_contracts); nothing when there are neither."""
        signed, late = allocated.value["count"], stalled.value["count"]
        if not signed and not late:
            return ""
        return (
            f"In {self.span()}, {self.hectares(allocated.value['hectares'])} hectares were allocated in "
            f"{self.count(signed, 'contract')}; on {self.day(self.period.end)}, {self.count(late, 'contract')} "
            f"{'was' if late == 1 else 'were'} past {'its' if late == 1 else 'their'} construction deadline."
        )

    def idle(self, result) -> str:
        if not result.value:
            return ""
        top = max(result.breakdowns["cause"], key=lambda row: row["count"])
        return (
            f"On {self.day(self.period.end)}, {self.count(result.value, 'production unit')} {self.was(result.value)} "
            f"idle, most often "
            f"because of {CAUSES_EN.get(top['key'], top['label_en'])} ({self.n(top['count'])})."
        )

    def balance(self, result) -> str:
        value = result.value
        if value["gini"] is None:
            return ""
        deprived, large_s, large_p, within = balance_parts(result)
        text = (
            f"Deprived counties, home to {self.pct(share(deprived['population'], value['population']))} of the "
            f"population, received {self.pct(share(deprived['spending_rials'], value['spending_rials']))} of "
            f"infrastructure spending; metropolises and big counties received "
            f"{self.pct(share(large_s, value['spending_rials']))} with "
            f"{self.pct(share(large_p, value['population']))} of the population. The Gini coefficient of spending "
            f"per person across counties was {self.decimal(value['gini'])} and the Theil index "
            f"{self.decimal(value['theil'])}"
        )
        text += f", {self.pct(within)} of it within provinces." if within is not None else "."
        ranking = result.breakdowns["ranking"][:TOP_COUNTIES]
        if ranking:
            names = [f"{row['label_en']} ({row['province_en']})" for row in ranking]
            text += (
                " Small counties with free serviced land or idle units that received no more than the average "
                f"per person, by need: {join_en(names)}."
            )
        return text + self.provisional(result)

    def provisional(self, result) -> str:
        codes = result.provisional_counties
        if not codes:
            return ""
        return (
            f" (Provisional: the less-developed status of {self.count(len(codes), 'county', 'counties')} "
            "rests on a provisional rule, not an official decree.)"
        )

    def approval_sentence(self, approved: int, total: int) -> str:
        if total and approved == total:
            return f"Every figure rests on approved monthly returns (all {self.n(total)} of the period)."
        return (
            f"Provisional: {self.n(approved)} of the {self.n(total)} monthly returns that cover the period "
            "are approved, so these figures may still change."
        )

    def revised_sentence(self, label: str, published: str | None, current: str | None, months: int) -> str:
        if published is None:
            return f"Revised: {label} changed after {self.count(months, 'monthly return')} had been approved."
        return f"Revised since publication: {label}, published as {published}, now {current}."

    def rate_note(self, result) -> str:
        rate = result.value["rate_at_period_end"]
        if rate is None:
            return ""
        return (
            f"Dollar figures at the {RATE_SOURCES_EN.get(self.filters.rate_source, self.filters.rate_source)} "
            f"rate of {self.day(self.period.end)}, "
            f"{group_digits(rate, 0, 'en')} rials per dollar."
        )


class PersianWriter(Writer):
    lang = "fa"
    about = "حدود"
    comma = "، "
    t_workshops = "کارگاه‌های افتتاح‌شده"
    t_spending = "هزینه‌کرد طرح‌های زیربنایی"
    t_underway = "پروژه‌های در دست اجرا، اعتبار"
    t_planned = "برنامه هزینه‌کرد تا پایان سال"
    t_revived = "واحدهای راکد احیاشده"
    t_established = "واحدهای تولیدی تأسیس‌شده"
    t_licensed = "مجوز شهرک و ناحیه صنعتی"
    t_deprived = "شهرک‌ها و نواحی در مناطق کمتر توسعه‌یافته"
    t_idle = "واحدهای راکد در پایان دوره"
    t_gini = "ضریب جینی هزینه‌کرد سرانه"

    def pct(self, value):
        return "—" if value is None else f"{to_persian_digits(str(value).replace('.', '٫'))} درصد"

    # Two numbers in one cell are told apart by their words, not by a dot (it reads as a zero).
    def underway_value(self, count: int, credit: str) -> str:
        return f"{self.n(count)} پروژه، {credit}"

    def revived_value(self, units: int, jobs: int) -> str:
        return f"{self.n(units)} واحد، اشتغال {self.n(jobs)} نفر"

    def dateline(self, issued: dt.date) -> str:
        return f"تاریخ انتشار: {self.day(issued)}"

    def span(self) -> str:
        year = to_persian_digits(self.year)
        if self.months == 12:
            return f"سال {year}"
        if self.months == 1:
            return f"نخستین ماه سال {year}"
        return f"{MONTH_COUNT_FA[self.months]} ماه نخست سال {year}"

    def where(self) -> str:
        prefix = {"province": "استان ", "county": "شهرستان "}.get(self.scope.level, "")
        return f"{prefix}{self.scope.name_fa}"

    def place(self) -> str:
        if self.scope.is_nation:
            return "شهرک‌ها و نواحی صنعتی کشور"
        return f"شهرک‌ها و نواحی صنعتی {self.where()}"

    def title(self) -> str:
        return f"{self.place() if not self.scope.is_nation else 'شهرک‌ها و نواحی صنعتی'} در {self.span()}"

    def subtitle(self) -> str:
        return f"آمار {self.day(self.period.start)} تا {self.day(self.period.end)}"

    def lead(self, results) -> str:
        spending = results["infrastructure_spending"].value
        return (
            f"در {self.span()}، {self.n(results['workshops_opened'].value)} کارگاه در {self.place()} افتتاح شد و "
            f"{self.money(spending['rials'])} برای اجرای طرح‌های زیربنایی "
            f"آن‌ها هزینه شد."
        )

    def spending(self, result) -> str:
        value = result.value
        if not value["rials"]:
            return "در این دوره پرداختی برای طرح‌های زیربنایی ثبت نشده است."
        sources = rows_by_key(result, "funding_source")
        internal = share(sources["internal"]["rials"], value["rials"])
        categories = sorted(result.breakdowns["category"], key=lambda row: -row["rials"])
        named = [
            f"{row['label_fa']} {self.pct(share(row['rials'], value['rials']))}"
            for row in categories
            if row["rials"]
        ][:4]
        return f"{self.pct(internal)} این هزینه‌کرد از منابع داخلی سازمان تأمین شد. سهم رسته‌ها: {'، '.join(named)}."

    def projects(self, underway, rest, planned) -> str:
        value = underway.value
        top = sorted(
            (row for row in underway.breakdowns["category"] if row["count"]), key=lambda row: -row["count"]
        )
        named = join_fa([f"{row['label_fa']} ({self.n(row['count'])})" for row in top[:TOP_CATEGORIES]])
        text = (
            f"در {self.day(self.period.end)}، {self.n(value['count'])} پروژه عمرانی با "
            f"{self.money(value['credit_rials'])} اعتبار در دست اجرا بود"
        )
        text += f" که بیشتر آن‌ها در رسته‌های {named} است." if named else "."
        if rest is not None and rest.value["rials"]:
            text += (
                f" برای ادامه این پروژه‌ها تا پایان سال {self.money(rest.value['rials'])}"
                f" هزینه‌کرد دیگر برنامه‌ریزی شده است."
            )
        elif rest is None and planned.value["rials"]:
            text += f" برنامه هزینه‌کرد سال {self.money(planned.value['rials'])} بود."
        return text

    def revivals(self, results) -> str:
        value = results["units_revived"].value
        text = (
            f"در این مدت {self.n(value['units'])} واحد تولیدی راکد به چرخه تولید بازگشت "
            f"({self.n(value['events'])} مورد احیا) و برای {self.n(value['jobs'])} نفر اشتغال ایجاد شد."
        )
        units, jobs = target_row(results, "units_revived"), target_row(results, "jobs_restored")
        goals = []
        if units:
            goals.append(
                f"احیای {self.n(units['target'])} واحد ({self.pct(share(units['achieved'], units['target']))} محقق شده)"
            )
        if jobs:
            goals.append(
                f"ایجاد {self.n(jobs['target'])} شغل ({self.pct(share(jobs['achieved'], jobs['target']))} محقق شده)"
            )
        if goals:
            text += f" هدف سال {' و '.join(goals)} است."
        return text

    def established(self, result) -> str:
        if not result.value:
            return ""
        small, kb, high = established_parts(result)
        return (
            f"همچنین {self.n(result.value)} واحد تولیدی جدید تأسیس شد که {self.n(small)} واحد آن خرد یا کوچک، "
            f"{self.n(kb)} واحد دانش‌بنیان و {self.n(high)} واحد در صنایع با فناوری بالا و متوسط رو به بالا است."
        )

    def estates(self, licensed, deprived) -> str:
        zones = rows_by_key(deprived, "estate_kind")["zone"]["count"]  # the article counts zones
        return (
            f"برای ایجاد {self.n(licensed.value)} شهرک و ناحیه صنعتی جدید مجوز صادر شد. "
            f"{self.n(deprived.value)} شهرک و ناحیه صنعتی در مناطق کمتر توسعه‌یافته"
            f"{' کشور' if self.scope.is_nation else ''} قرار دارد که "
            f"{self.n(zones)} مورد آن ناحیه صنعتی است.{self.provisional(deprived)}"
        )

    def land(self, allocated, stalled) -> str:
        signed, late = allocated.value["count"], stalled.value["count"]
        if not signed and not late:
            return ""
        return (
            f"در {self.span()}، {self.hectares(allocated.value['hectares'])} هکتار زمین در قالب "
            f"{self.n(signed)} قرارداد واگذار شد و در {self.day(self.period.end)}، مهلت ساخت "
            f"{self.n(late)} قرارداد گذشته بود."
        )

    def idle(self, result) -> str:
        if not result.value:
            return ""
        top = max(result.breakdowns["cause"], key=lambda row: row["count"])
        return (
            f"در {self.day(self.period.end)}، {self.n(result.value)} واحد تولیدی راکد بود که بیشترین علت رکود "
            f"آن‌ها {top['label_fa']} ({self.n(top['count'])} واحد) است."
        )

    def balance(self, result) -> str:
        value = result.value
        if value["gini"] is None:
            return ""
        deprived, large_s, large_p, within = balance_parts(result)
        text = (
            f"شهرستان‌های کمتر توسعه‌یافته با {self.pct(share(deprived['population'], value['population']))} "
            f"جمعیت، {self.pct(share(deprived['spending_rials'], value['spending_rials']))} هزینه‌کرد زیربنایی "
            f"را دریافت کردند و کلان‌شهرها و شهرستان‌های بزرگ با {self.pct(share(large_p, value['population']))} "
            f"جمعیت، {self.pct(share(large_s, value['spending_rials']))} آن را. ضریب جینی هزینه‌کرد سرانه "
            f"میان شهرستان‌ها {self.decimal(value['gini'])} و شاخص تایل {self.decimal(value['theil'])} است"
        )
        text += (
            f" که {self.pct(within)} آن به نابرابری درون استان‌ها مربوط است." if within is not None else "."
        )
        ranking = result.breakdowns["ranking"][:TOP_COUNTIES]
        if ranking:
            names = [f"{row['label_fa']} ({row['province_fa']})" for row in ranking]
            text += (
                " شهرستان‌های کوچکی که زمین خدمات‌رسانی‌شدهٔ آزاد یا واحد راکد دارند و سرانهٔ هزینه‌کردشان "
                f"از میانگین بیشتر نبوده است، به ترتیب نیاز: {join_fa(names)}."
            )
        return text + self.provisional(result)

    def provisional(self, result) -> str:
        codes = result.provisional_counties
        if not codes:
            return ""
        return (
            f" (موقت: وضعیت کمتر توسعه‌یافتگی {self.n(len(codes))} شهرستان بر پایهٔ قاعدهٔ موقت است، "
            "نه مصوبهٔ رسمی.)"
        )

    def approval_sentence(self, approved: int, total: int) -> str:
        if total and approved == total:
            return (
                f"همهٔ ارقام بر گزارش‌های ماهانهٔ تأییدشده استوار است ({self.n(total)} گزارش ماهانهٔ این دوره)."
            )
        return (
            f"موقت: {self.n(approved)} از {self.n(total)} گزارش ماهانهٔ این دوره تأیید شده است "
            "و این ارقام هنوز ممکن است تغییر کند."
        )

    def revised_sentence(self, label: str, published: str | None, current: str | None, months: int) -> str:
        if published is None:
            return f"بازنگری‌شده: {label} پس از تأیید {self.n(months)} گزارش ماهانه تغییر کرده است."
        return f"بازنگری‌شده پس از انتشار: {label}، منتشرشده {published}، اکنون {current}."

    def rate_note(self, result) -> str:
        rate = result.value["rate_at_period_end"]
        if rate is None:
            return ""
        return (
            f"ارقام دلاری به نرخ {RATE_SOURCES_FA.get(self.filters.rate_source, self.filters.rate_source)} "
            f"در {self.day(self.period.end)}، "
            f"{group_digits(rate, 0, 'fa')} ریال برای هر دلار."
        )


def share_of(part: float | None, whole: float | None) -> Decimal | None:
    if part is None or not whole:
        return None
    percent = Decimal(str(part)) * 100 / Decimal(str(whole))
    return percent.quantize(Decimal("1") if abs(percent) >= 10 else Decimal("0.1"), ROUND_HALF_UP)


def join_en(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def join_fa(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return "، ".join(names[:-1]) + " و " + names[-1]
