"""The figures as a table a person reads in a terminal, in Persian or English."""

from decimal import Decimal

from shahrak.core.jalali import Period, format_jalali_long
from shahrak.core.money import group_digits
from shahrak.core.text import to_persian_digits
from shahrak.regions.scope import Scope

from .base import MetricResult
from .engine import METRICS

# Field name → (Persian, English) column label.
FIELDS = {
    "count": ("تعداد", "count"),
    "rials": ("ریال", "rials"),
    "usd_at_period_end": ("دلار به نرخ پایان دوره", "USD at period-end rate"),
    "usd_at_payment_dates": ("دلار به نرخ روز پرداخت", "USD at payment-date rates"),
    "rate_at_period_end": ("نرخ دلار پایان دوره (ریال)", "USD rate at period end (rials)"),
    "credit_rials": ("اعتبار (ریال)", "credit (rials)"),
    "credit_usd_at_period_end": ("اعتبار (دلار)", "credit (USD)"),
    "units": ("واحد", "units"),
    "events": ("رویداد", "events"),
    "jobs": ("اشتغال", "jobs"),
    "targets": ("هدف", "targets"),
    "met": ("محقق‌شده", "met"),
    "target": ("هدف", "target"),
    "achieved": ("عملکرد", "achieved"),
    "ratio": ("نسبت", "ratio"),
    "spending_rials": ("هزینه‌کرد (ریال)", "spending (rials)"),
    "population": ("جمعیت", "population"),
    "per_capita_rials": ("سرانه (ریال)", "per capita (rials)"),
    "gini": ("ضریب جینی", "Gini"),
    "theil": ("شاخص تایل", "Theil T"),
    "theil_between": ("تایل بین استانی", "Theil between provinces"),
    "theil_within": ("تایل درون استانی", "Theil within provinces"),
    "deprived_spending_share": (
        "سهم مناطق کمتر توسعه‌یافته از هزینه‌کرد",
        "deprived counties' share of spending",
    ),
    "deprived_population_share": (
        "سهم مناطق کمتر توسعه‌یافته از جمعیت",
        "deprived counties' share of population",
    ),
    "spending_share": ("سهم هزینه‌کرد", "spending share"),
    "population_share": ("سهم جمعیت", "population share"),
    "counties": ("شهرستان", "counties"),
    "rank": ("رتبه", "rank"),
    "score": ("امتیاز", "score"),
    "free_land_ha": ("زمین آماده واگذاری (هکتار)", "free serviced land (ha)"),
    "idle_units": ("واحد راکد", "idle units"),
    "n_per_capita": ("n(سرانه)", "n(per capita)"),
    "n_free_land": ("n(زمین)", "n(land)"),
    "n_idle_units": ("n(راکد)", "n(idle)"),
    "n_population": ("n(جمعیت)", "n(population)"),
}
BREAKDOWNS = {
    "province": ("استان", "by province"),
    "provinces": ("استان", "by province"),
    "estate_kind": ("نوع", "by estate kind"),
    "category": ("رسته", "by category"),
    "funding_source": ("منبع تأمین", "by funding source"),
    "size_class": ("اندازه", "by size class"),
    "knowledge_based": ("دانش‌بنیان", "knowledge-based"),
    "tech_intensity": ("سطح فناوری", "by technology intensity"),
    "cause": ("علت رکود", "by cause"),
    "targets": ("اهداف", "targets"),
    "deprivation": ("محرومیت", "deprived or not"),
    "ranking": ("شهرستان‌های کم‌برخوردار دارای ظرفیت", "under-served counties with capacity"),
}
SHARES = {"deprived_spending_share", "deprived_population_share", "spending_share", "population_share"}
# Long lists the JSON carries in full; the table shows the first rows only.
TABLE_ROWS = {"ranking": 10}
SKIPPED = {"counties", "lorenz"}
HIDDEN_FIELDS = {"key", "label_fa", "label_en", "metric", "year", "start", "end", "measured_to", "note", "code",
                 "name_fa", "name_en", "province", "province_fa", "province_en", "deprived", "deprivation",
                 "size_class", "weights", "part_under_served", "part_free_land", "part_idle_units",
                 "part_population"}  # fmt: skip


def format_value(field: str, value, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return ("بله" if value else "خیر") if lang == "fa" else ("yes" if value else "no")
    if field in SHARES:
        return group_digits(Decimal(str(value)) * 100, 1, lang) + ("٪" if lang == "fa" else "%")
    if isinstance(value, float):
        return group_digits(value, 4, lang)
    if isinstance(value, Decimal):
        text = group_digits(value, 4 if field == "ratio" else 2, lang)
        return f"${text}" if "usd" in field and lang != "fa" else text
    if isinstance(value, int):
        return group_digits(value, 0, lang)
    return to_persian_digits(value) if lang == "fa" else str(value)


def _label(field: str, lang: str) -> str:
    fa, en = FIELDS.get(field, (field, field))
    return fa if lang == "fa" else en


def _pairs(values: dict, lang: str) -> str:
    shown = [(field, value) for field, value in values.items() if field not in HIDDEN_FIELDS]
    if len(shown) == 1:
        return format_value(*shown[0], lang)
    return "; ".join(f"{_label(field, lang)}: {format_value(field, value, lang)}" for field, value in shown)


def approval_line(approval: dict | None, lang: str) -> str:
    """The figure's approval status in words (DESIGN.md: "approved" or "provisional, n of m
    approved"; "revised" with the published and current values), as the JSON's `approval` says."""
    if not approval:
        return ""
    fa = lang == "fa"
    approved, total = (
        format_value("count", approval["approved"], lang),
        format_value("count", approval["total"], lang),
    )
    of = (
        f"{approved} از {total} گزارش ماهانه تأییدشده"
        if fa
        else f"{approved} of {total} monthly returns approved"
    )
    if approval["status"] == "approved":
        text = f"تأییدشده ({of})" if fa else f"approved ({of})"
    elif approval["status"] == "revised":
        published, current = approval.get("published_value"), approval.get("current_value")
        if published is not None:
            values = (
                f"منتشرشده {_shown(published, lang)}، اکنون {_shown(current, lang)}"
                if fa
                else f"published {_shown(published, lang)}, now {_shown(current, lang)}"
            )
        else:
            months = ", ".join(f"{m['province']} {m['month']}" for m in approval.get("revised_months", []))
            values = (
                f"تغییر پس از تأیید: {to_persian_digits(months)}"
                if fa
                else f"changed after approval: {months}"
            )
        text = f"بازنگری‌شده: {values}؛ {of}" if fa else f"revised: {values}; {of}"
    else:
        text = f"موقت، {of}" if fa else f"provisional, {of}"
    return f"  {'وضعیت تأیید' if fa else 'approval'}: {text}"


def _shown(value, lang: str) -> str:
    return _pairs(value, lang) if isinstance(value, dict) else format_value("count", value, lang)


def render_table(results: dict[str, MetricResult], period: Period, scope: Scope, lang: str = "fa") -> str:
    """Every figure with its headline and breakdowns, one line each, labelled in the language."""
    fa = lang == "fa"
    place = scope.name_fa if fa else scope.name_en
    dates = f"{format_jalali_long(period.start, lang)} – {format_jalali_long(period.end, lang)}"
    # A comma, not a middle dot: «·» beside a Persian digit reads as a zero.
    lines = [f"{place}{'، ' if fa else ', '}{dates}", ""]
    for name, result in results.items():
        metric = METRICS[name]
        headline = result.value
        shown = (
            format_value("count", headline, lang)
            if not isinstance(headline, dict)
            else _pairs(headline, lang)
        )
        lines.append(f"{metric.label_fa if fa else metric.label_en}: {shown}")
        approval = approval_line(getattr(result, "approval", None), lang)
        if approval:
            lines.append(approval)
        for breakdown, rows in result.breakdowns.items():
            if breakdown in SKIPPED or not rows:
                continue
            title_fa, title_en = BREAKDOWNS.get(breakdown, (breakdown, breakdown))
            lines.append(f"  {title_fa if fa else title_en}:")
            limit = TABLE_ROWS.get(breakdown, len(rows))
            for row in rows[:limit]:
                label = row["label_fa"] if fa else row["label_en"]
                lines.append(f"    {label}: {_pairs(row, lang)}")
            if len(rows) > limit:
                more = len(rows) - limit
                lines.append(
                    f"    … {to_persian_digits(more)} ردیف دیگر" if fa else f"    … {more} more rows"
                )
        for warning in result.warnings:
            lines.append(f"  ! {warning}")
        lines.append("")
    return "\n".join(lines)
