"""What the figure pages add to record pages (shahrak/ui/panels.py): an estate's five-year spending."""

from shahrak.ui.panels import register_panel

from .figures import estate_scope, yearly_figure


@register_panel("estates.estate", "spending")
def spending_of_estate(request, estate):
    return yearly_figure("infrastructure_spending", estate_scope(estate), request)
