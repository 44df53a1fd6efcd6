from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "shahrak.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    def ready(self):
        # Approving a monthly return stores its province-month's figures as reported: the returns
        # app, below this one, calls the engine's computation of them through its hook.
        from functools import partial

        from shahrak.returns.published import register_figure_labels, register_month_figures

        from .approval import month_figures
        from .engine import METRICS, compute_in_context

        register_month_figures(partial(month_figures, METRICS, compute_in_context))
        register_figure_labels(figure_label)

        from .tallies import watch_writes

        watch_writes()  # a write to a finished month marks its monthly tallies stale


def figure_label(name: str) -> str:
    """A figure's name in the reader's language (for the returns app's pages)."""
    from shahrak.ui import format as fmt

    from .engine import METRICS

    metric = METRICS.get(name)
    if metric is None:
        return name
    return metric.label_fa if fmt.is_fa() else metric.label_en
