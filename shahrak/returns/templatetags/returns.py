from django import template

from shahrak.returns.models import month_label as _month_label

register = template.Library()


@register.simple_tag
def month_label(year, month):
    """«آذر ۱۴۰۱» / 'Azar 1401'."""
    return _month_label(year, month)
