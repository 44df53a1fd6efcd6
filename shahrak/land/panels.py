"""What land adds to the pages of records below it (shahrak/ui/panels.py): an estate's site plan."""

from django.utils import timezone

from shahrak.ui.generic import model_url
from shahrak.ui.panels import register_panel

from .models import Plot
from .siteplan import site_plan


def plot_page(plot, status) -> str:
    return model_url(Plot, "", plot.pk)


@register_panel("estates.estate", "site_plan")
def site_plan_of_estate(request, estate):
    """The officer's plan: every shape opens its plot's page."""
    return site_plan(estate, timezone.localdate(), link=plot_page)
