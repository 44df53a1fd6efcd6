from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .health import readiness


@never_cache
@require_safe
def healthz(request):
    """The process answers; it does not touch the database."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    """Ready to serve: the database answers, migrations are applied and a worker beats (503 if not)."""
    result = readiness()
    return JsonResponse(result, status=200 if result["status"] == "ok" else 503)
