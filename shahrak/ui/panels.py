"""Parts of a record's page that apps above it add (in the manner of NetBox's template extensions).

An estate's page lists its production units and projects and shows its five-year spending; those
apps sit above `estates`, so the estate's view cannot import them. Instead each app registers what it
adds to a record type's page, in its `panels.py` (imported by its AppConfig.ready):

    @register_panel("estates.estate", "units")
    def units_of_estate(request, estate):
        return Related(...)

and the record's page (`generic.ObjectView`) puts each panel in its template context under its name.
"""

from collections import defaultdict
from collections.abc import Callable

Panel = Callable[..., object]
_PANELS: dict[str, dict[str, Panel]] = defaultdict(dict)


def register_panel(model_label: str, name: str) -> Callable[[Panel], Panel]:
    """Add `name` to the context of every page of a `model_label` record ("app_label.model_name")."""

    def decorator(func: Panel) -> Panel:
        panels = _PANELS[model_label.lower()]
        if name in panels and panels[name] is not func:
            raise ValueError(f"two panels named {name!r} on {model_label} pages")
        panels[name] = func
        return func

    return decorator


def panels_for(request, instance) -> dict:
    """The context every app adds to this record's page, name → value."""
    return {name: func(request, instance) for name, func in _PANELS[instance._meta.label_lower].items()}
