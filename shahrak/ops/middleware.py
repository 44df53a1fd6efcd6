import logging
import time

from .logs import QueryCounter

logger = logging.getLogger("shahrak.requests")


def _username(request) -> str | None:
    user = getattr(request, "user", None)  # set by AuthenticationMiddleware, or by DRF's token auth
    if user is None or not user.is_authenticated:
        return None
    return user.get_username()


class RequestLogMiddleware:
    """One JSON log line per request: method, path, status, user, duration in ms, SQL queries.
    First in MIDDLEWARE, so the duration and the query count cover every other middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter().install()
        started = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            queries = counter.remove()
        logger.info(
            "request",
            extra={
                "fields": {
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "user": _username(request),
                    "duration_ms": duration_ms,
                    "queries": queries,
                }
            },
        )
        return response
