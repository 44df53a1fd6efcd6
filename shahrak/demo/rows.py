"""The demo's building blocks shared by its stages (generator.py, land.py): days as ordinals, the
Solar Hijri calendar cached, weighted draws, construction prices, and fast row making and writing."""

import bisect
import datetime as dt
import functools
import heapq
import math
import random
from collections import Counter, defaultdict
from decimal import Decimal

from shahrak.core import jalali

from .plan import DATA_END, DATA_START

ORD_START = DATA_START.toordinal()
ORD_END = DATA_END.toordinal()

PRICE_GROWTH = {1397: 0.30, 1398: 0.40, 1399: 0.45, 1400: 0.45, 1401: 0.45, 1402: 0.40}


@functools.cache
def jalali_ordinal(year: int, month: int = 1, day: int = 1) -> int:
    return jalali.to_gregorian(year, month, day).toordinal()


@functools.cache
def year_range(year: int) -> tuple[int, int]:
    bounds = jalali.year_bounds(year)
    return bounds.start.toordinal(), bounds.end.toordinal()


_DATES: dict[int, dt.date] = {}
_JALALI: dict[int, tuple[int, int, int]] = {}


def day(ordinal: int) -> dt.date:
    found = _DATES.get(ordinal)
    if found is None:
        found = _DATES[ordinal] = dt.date.fromordinal(ordinal)
    return found


def jparts(ordinal: int) -> tuple[int, int, int]:
    """(year, month, day) of the Solar Hijri date, cached: the same few thousand days recur."""
    found = _JALALI.get(ordinal)
    if found is None:
        found = _JALALI[ordinal] = jalali.jalali_parts(day(ordinal))
    return found


def weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, each drawn with probability proportional to its weight (Efraimidis–Spirakis)."""
    if k <= 0:
        return []
    if k >= len(items):
        return list(items)
    keys = ((math.log(1.0 - rng.random()) / w if w > 0 else -math.inf, i) for i, w in enumerate(weights))
    return [items[i] for _key, i in heapq.nlargest(k, keys)]


def pick(rng: random.Random, items: list, cum_weights: list[float], upto: int | None = None):
    """One item by cumulative weights, among the first `upto` items only."""
    upto = len(items) if upto is None else upto
    r = rng.random() * cum_weights[upto - 1]
    return items[min(bisect.bisect_right(cum_weights, r, 0, upto), upto - 1)]


def cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


@functools.cache
def price_index(year: int) -> float:
    """Construction prices of a Solar Hijri year, 1385 = 1."""
    index = 1.0
    for y in range(1386, year + 1):
        index *= 1 + PRICE_GROWTH.get(y, 0.15)
    return index


def hectares(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


# Why units stop producing, and how often (shares of idling events).


class Writer:
    """Buffers rows per model and writes them with bulk_create in batches (or only counts them)."""

    def __init__(self, batch_size: int = 5_000, dry_run: bool = False):
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.buffers: dict[type, list] = defaultdict(list)
        self.counts: Counter = Counter()

    def add(self, obj) -> None:
        buffer = self.buffers[type(obj)]
        buffer.append(obj)
        if len(buffer) >= self.batch_size:
            self.flush(type(obj))

    def flush(self, model: type | None = None) -> None:
        for kind in [model] if model else list(self.buffers):
            rows = self.buffers.pop(kind, [])
            if rows and not self.dry_run:
                kind.objects.bulk_create(rows, batch_size=self.batch_size)
            self.counts[kind._meta.label] += len(rows)


class RowMaker:
    """Makes model instances from values given in a fixed order of field names.

    Django builds an instance about twice as fast from positional values (in the model's column
    order) as from keywords; the order is looked up here by name, so added fields take their defaults.
    """

    def __init__(self, model, *attnames: str):
        fields = model._meta.concrete_fields
        column = {field.attname: i for i, field in enumerate(fields)}
        self.model = model
        self.defaults = [field.get_default() for field in fields]
        self.columns = [column[name] for name in attnames]

    def __call__(self, *values):
        args = self.defaults.copy()
        for i, value in zip(self.columns, values, strict=True):
            args[i] = value
        return self.model(*args)
