"""The "demo data" flag: written by `shahrak demo`, read by every page (cached, one query a minute
at most per process)."""

from django.core.cache import cache
from django.db import DatabaseError

from .models import DemoLoad

CACHE_KEY = "shahrak:ops:demo-loaded"
CACHE_SECONDS = 60


def record_demo_load(scale: float, seed: int) -> DemoLoad:
    """Called by the demo loader inside its transaction, so the flag and the rows land together."""
    load = DemoLoad.objects.create(scale=scale, seed=seed)
    cache.delete(CACHE_KEY)
    return load


def demo_loaded() -> bool:
    loaded = cache.get(CACHE_KEY)
    if loaded is None:
        try:
            loaded = DemoLoad.objects.exists()
        except DatabaseError:  # before `migrate`: no banner rather than a broken page
            return False
        cache.set(CACHE_KEY, loaded, CACHE_SECONDS)
    return loaded


def context(request):
    """Template context processor: `demo_data` is true on every page of a demo database."""
    return {"demo_data": demo_loaded()}
