"""What a reader has chosen for this visit: the unit money is shown in and the rate source."""

from shahrak.core.money import RateSource, default_rate_source

from .format import DEFAULT_MONEY_UNIT, MONEY_UNITS, RateBook

SESSION_MONEY_UNIT = "money_unit"


def money_unit(request) -> str:
    """The unit in the query string (?unit=), else the one chosen for the session, else billion rials."""
    if request is None:
        return DEFAULT_MONEY_UNIT
    unit = request.GET.get("unit") or request.session.get(SESSION_MONEY_UNIT)
    return unit if unit in MONEY_UNITS else DEFAULT_MONEY_UNIT


def rate_source(request) -> str:
    source = request.GET.get("rate") if request is not None else None
    return source if source in RateSource.values else default_rate_source()


def rate_book(request) -> RateBook:
    """One book of rates per request, so a list of fifty payments asks for each day's rate once."""
    if request is None:
        return RateBook()
    book = getattr(request, "_shahrak_rates", None)
    if book is None or book.source != rate_source(request):
        book = request._shahrak_rates = RateBook(rate_source(request))
    return book
