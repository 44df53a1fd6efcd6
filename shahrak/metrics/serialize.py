"""The figures as JSON (the CLI's --format json and the REST API's /api/metrics/ return the same dict)."""

from shahrak.core.jalali import Period
from shahrak.regions.scope import NATION, Scope

from .base import Filters
from .engine import compute_all


def metrics_payload(period: Period, scope: Scope = NATION, filters: Filters | None = None) -> dict:
    """{"period": both calendars, "scope": where and which filters, "metrics": name → figure}.

    Rials are integers; dollars, hectares and ratios of targets are decimal strings (to the cent
    for dollars); indices and shares are floats; dates are ISO (Gregorian) with Solar Hijri beside
    them where a person reads them.
    """
    filters = filters or Filters()  # the default rate source read now, not at import
    results = compute_all(period, scope, filters)
    return {
        "period": period.as_dict(),
        "scope": {**scope.as_dict(), "filters": filters.as_dict()},
        "metrics": {name: result.as_dict() for name, result in results.items()},
    }
