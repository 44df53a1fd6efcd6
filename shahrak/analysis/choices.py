"""The choices of a published claim: what it counts, in which unit, with which qualifier."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from shahrak.core.money import BILLION, HEMAT, RIALS_PER_TOMAN, TRILLION


class ClaimMetric(models.TextChoices):
    """What a claim counts: one number of one figure of the metrics engine (ledger.MEASURES)."""

    WORKSHOPS_OPENED = "workshops_opened", _("workshops opened")
    ESTATES_IN_DEPRIVED_AREAS = "estates_in_deprived_areas", _("estates in deprived areas")
    ESTATES_LICENSED = "estates_licensed", _("estates licensed")
    INFRASTRUCTURE_SPENDING = "infrastructure_spending", _("infrastructure spending")
    PROJECTS_UNDERWAY = "projects_underway", _("projects underway (number)")
    PROJECTS_UNDERWAY_CREDIT = "projects_underway_credit", _("credit of the projects underway")
    PLANNED_SPENDING = "planned_spending", _("planned spending")
    UNITS_REVIVED = "units_revived", _("idle units revived")
    JOBS_RESTORED = "jobs_restored", _("jobs restored by revivals")
    UNITS_ESTABLISHED = "units_established", _("units established")
    IDLE_UNITS = "idle_units", _("idle units")
    KNOWLEDGE_BASED_SHARE = (
        "knowledge_based_share",
        _("share of knowledge-based units among those established"),
    )
    BIG_CITIES_SPENDING_SHARE = "big_cities_spending_share", _("share of spending in big cities")


class ClaimUnit(models.TextChoices):
    RIAL = "rial", _("rials")
    TOMAN = "toman", _("tomans")
    BILLION_RIAL = "billion_rial", _("billion rials")
    TRILLION_RIAL = "trillion_rial", _("trillion rials")
    HEMAT = "hemat", _("hemat (thousand billion tomans)")
    USD = "usd", _("US dollars")
    COUNT = "count", _("count")
    JOBS = "jobs", _("jobs")
    PERCENT = "percent", _("percent")


# Rials in one of each money unit (همت = هزار میلیارد تومان = 10¹³ rials).
RIALS_PER_UNIT = {
    ClaimUnit.RIAL: 1,
    ClaimUnit.TOMAN: RIALS_PER_TOMAN,
    ClaimUnit.BILLION_RIAL: BILLION,
    ClaimUnit.TRILLION_RIAL: TRILLION,
    ClaimUnit.HEMAT: HEMAT,
}
COUNT_UNITS = (ClaimUnit.COUNT, ClaimUnit.JOBS)


class Qualifier(models.TextChoices):
    """How the claim words its number; it decides which register values agree with it."""

    EXACT = "exact", _("as stated")
    ABOUT = "about", _("about / nearly")
    MORE_THAN = "more_than", _("more than / over")
    AT_MOST = "at_most", _("less than / up to")


class ScenarioMode(models.TextChoices):
    """How a what-if scenario places its Δ (analysis/whatif.py)."""

    SPREAD = "spread", _("spread to lower the Gini, within capacity")
    CHOSEN = "chosen", _("add to each chosen county")
