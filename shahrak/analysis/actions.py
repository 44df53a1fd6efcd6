"""The analysis app's named writes: saving a what-if scenario (with history)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from shahrak.accounts.scope import may_save_scenarios
from shahrak.core.history import save_with_history

from .models import Scenario


@transaction.atomic
def save_scenario(scenario: Scenario, *, actor) -> Scenario:
    """Save a new what-if scenario as `actor` (a national analyst or an administrator)."""
    if not may_save_scenarios(actor):
        raise PermissionDenied(_("Only national analysts and administrators save scenarios."))
    scenario.created_by = actor
    scenario.full_clean()
    return save_with_history(scenario, actor=actor, reason="what-if scenario saved")
