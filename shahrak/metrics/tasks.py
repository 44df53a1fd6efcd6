"""The worker's part in keeping the monthly tallies current (tallies.py)."""

from django.tasks import task

from . import tallies


@task
def rebuild_tallies_task() -> int:
    """Count again the groups whose finished months were written to since they were last counted."""
    stale = [state.group for state in tallies.TallyState.objects.all() if not state.current]
    return tallies.rebuild(stale) if stale else 0
