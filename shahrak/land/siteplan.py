"""An estate's site plan: its plots in being on the day that have a polygon, each with its status on the day (the one
derived rule, PlotQuerySet.with_status), as a GeoJSON FeatureCollection the page draws in the
browser (web/static/web/siteplan.js, with ECharts; no tiles). The page passes it with json_script.
"""

from django.utils.translation import gettext as _

from shahrak.ui import format as fmt

from .models import Plot, PlotStatus

# The colour of each status on the plan and in its legend.
STATUS_COLOURS = {
    PlotStatus.FREE: "#22c55e",
    PlotStatus.RESERVED: "#f59e0b",
    PlotStatus.ALLOCATED: "#64748b",
    PlotStatus.RECLAIMED: "#0ea5e9",
}
# Free and reclaimed plots may be handed out (PlotQuerySet.free_on): the public plan links them to
# the application form.
OPEN_TO_APPLY = (PlotStatus.FREE, PlotStatus.RECLAIMED)


def legend() -> list[dict]:
    return [{"key": s.value, "label": str(s.label), "colour": STATUS_COLOURS[s]} for s in STATUS_COLOURS]


def site_plan(estate, day, link=None, current=None) -> dict | None:
    """The estate's plots with a polygon on the day, or None when none has one.

    `link(plot, status)` gives the address a shape opens (or "" for none); `current` is the pk of
    a plot to mark (the plot's own page)."""
    plots = (
        Plot.objects.filter(estate=estate, polygon__isnull=False)
        .in_being(day)  # a plot merged or split away is no longer on the plan; its new plots are
        .with_status(day)
        .order_by("code")
        .only("pk", "code", "area_m2", "use", "polygon")
    )
    features = []
    for plot in plots:
        status = PlotStatus(plot.status)
        features.append(
            {
                "type": "Feature",
                "id": str(plot.pk),
                "properties": {
                    "name": str(plot.pk),
                    "code": plot.code,
                    "area": fmt.number(plot.area_m2, 0),
                    "use": plot.get_use_display(),
                    "status": status.value,
                    "status_label": str(status.label),
                    "colour": STATUS_COLOURS[status],
                    "url": link(plot, status) if link else "",
                    "current": plot.pk == current,
                },
                "geometry": plot.polygon,
            }
        )
    if not features:
        return None
    return {
        "type": "FeatureCollection",
        "features": features,
        # What the tooltip names, in the reader's language.
        "labels": {"area": _("area (m²)"), "use": _("use"), "status": _("status"), "code": _("code")},
        "legend": legend(),
    }
