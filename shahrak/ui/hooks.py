"""What apps above ui lend it, so that ui imports no app above it (issue 10, layers).

ui is the framework the domain apps build on; a few of its helpers need something only a higher
app knows: the exchange rate in force on a day (money), how to export a list and whether a person
may import (imports), the provinces a filter offers (regions). Each such app provides its function
here from its AppConfig.ready(), as NetBox's plugins register theirs. A hook nobody provided fails
loudly, naming the hook, instead of quietly doing nothing.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

HOOKS = {
    "rate_in_force": "money: rate_in_force(day, currency, source) -> Decimal | None",
    "export_list": "imports: (queryset, model, fmt) -> HttpResponse; and its formats",
    "export_formats": "imports: the formats a list exports to, e.g. ('csv', 'xlsx')",
    "may_import": "imports: may_import(user) -> bool, whether the menu offers the import page",
    "province_choices": "regions: province_choices() -> [(iso_code, name)] in the reader's order",
}
_provided: dict[str, Callable] = {}


def provide(name: str, function: Callable) -> None:
    if name not in HOOKS:
        raise ImproperlyConfigured(f"ui has no hook {name!r}; its hooks are {', '.join(HOOKS)}")
    _provided[name] = function


def hook(name: str) -> Callable:
    try:
        return _provided[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"No app provided the ui hook {name!r} ({HOOKS[name]}): is that app in INSTALLED_APPS?"
        ) from None
