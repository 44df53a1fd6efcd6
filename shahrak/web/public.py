"""The investor's side without an account (issue 13): apply online for a free plot from the
catalogue, and follow the application by its tracking code.

Abuse protection of the public form (docs in DESIGN.md's land section and the settings):
- a rate limit per client address: at most SHAHRAK["PUBLIC_FORM_POSTS"] posts in
  SHAHRAK["PUBLIC_FORM_WINDOW_SECONDS"] (every post counts, valid or not), kept in Django's cache;
  beyond it the answer is a Persian page with status 429. The address is REMOTE_ADDR, or the
  header SHAHRAK["PUBLIC_FORM_CLIENT_HEADER"] names when a trusted proxy sets it;
- a honeypot box (`website`) no person sees: a filled one is refused with a generic message
  (status 400, nothing written), which tells a robot nothing about which check it failed;
- size limits: a request body above SHAHRAK["PUBLIC_FORM_MAX_BYTES"] is refused (413) before it
  is read, and every text box has its model's length;
- Persian validation errors, as every form of the site.
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache

from shahrak.core.text import normalize
from shahrak.estates.models import Estate, EstateStatus
from shahrak.land import actions
from shahrak.land.forms import OnlineApplicationForm
from shahrak.land.models import Application, ApplicationStatus, HoldKind, tracking_hash

# The states as the applicant reads them ("approved" alone is also a date's column elsewhere).
STATE_LABELS = {
    ApplicationStatus.SUBMITTED: pgettext_lazy("application state", "submitted"),
    ApplicationStatus.UNDER_REVIEW: pgettext_lazy("application state", "under review"),
    ApplicationStatus.APPROVED: pgettext_lazy("application state", "approved"),
    ApplicationStatus.REJECTED: pgettext_lazy("application state", "rejected"),
    ApplicationStatus.WITHDRAWN: pgettext_lazy("application state", "withdrawn"),
    ApplicationStatus.CONTRACTED: pgettext_lazy("application state", "contract signed"),
}

log = logging.getLogger(__name__)

DEFAULTS = {
    "PUBLIC_FORM_POSTS": 5,
    "PUBLIC_FORM_WINDOW_SECONDS": 3600,
    "PUBLIC_FORM_MAX_BYTES": 20_000,
    "PUBLIC_FORM_CLIENT_HEADER": "",
    "PUBLIC_LOOKUPS": 60,
}


def public_setting(name: str):
    return getattr(settings, "SHAHRAK", {}).get(name, DEFAULTS[name])


def client_address(request) -> str:
    header = public_setting("PUBLIC_FORM_CLIENT_HEADER")
    forwarded = request.META.get(header, "") if header else ""
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")) or "unknown"


def over_limit(request, bucket: str, limit: int) -> bool:
    """Count one request of the client in the bucket; True once it has made more than `limit` in
    the window (a fixed window from its first request)."""
    key = f"public:{bucket}:{client_address(request)}"
    window = public_setting("PUBLIC_FORM_WINDOW_SECONDS")
    try:
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
    except Exception:  # a shared cache (Redis) that does not answer: the form stays open; /readyz says so
        log.warning("rate-limit cache unreachable; %s not counted", bucket, exc_info=True)
        return False
    return count > limit


def _refusal(request, status: int, title: str, message: str):
    return render(request, "web/public_refused.html", {"title": title, "message": message}, status=status)


def too_many(request):
    return _refusal(
        request, 429, _("Too many requests"),
        _("You have sent this form too many times from this address. Please wait an hour and try again, "
          "or call the estate's office."),
    )  # fmt: skip


@never_cache
def apply(request, code):
    """The public application form of an estate's free plots."""
    today = timezone.localdate()
    estate = get_object_or_404(Estate, code=code, status=EstateStatus.OPERATIONAL)
    if request.method == "POST":
        size = int(request.META.get("CONTENT_LENGTH") or 0)
        if size > public_setting("PUBLIC_FORM_MAX_BYTES"):
            return _refusal(
                request, 413, _("The form is too large"), _("What was sent is too large for this form.")
            )
        if over_limit(request, "apply", public_setting("PUBLIC_FORM_POSTS")):
            return too_many(request)
        form = OnlineApplicationForm(request.POST, estate=estate, day=today)
        if form.is_robot:
            return _refusal(
                request, 400, _("The application was not sent"),
                _("The application could not be accepted. Please fill in the form again."),
            )  # fmt: skip
        if form.is_valid():
            try:
                application = actions.submit_online(form.instance, form.cleaned_data["plots"], day=today)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(
                    reverse("web:application_status", args=[application.tracking_code]) + "?new=1"
                )
    else:
        preferred = request.GET.get("plot")
        form = OnlineApplicationForm(
            estate=estate, day=today, initial={"plots": [preferred] if preferred else []}
        )
    return render(request, "web/apply.html", {"estate": estate, "form": form, "today": today})


def _tracking(text: str) -> str:
    return normalize(text or "").strip().upper()


def _by_code(code: str):
    """Applications are found by the hash of the code typed (only the hash is stored)."""
    return Application.objects.filter(tracking_hash=tracking_hash(code))


@never_cache
def application_lookup(request):
    """Type a tracking code to see the application's state."""
    code = _tracking(request.GET.get("code", ""))
    error = ""
    if code:
        if over_limit(request, "lookup", public_setting("PUBLIC_LOOKUPS")):
            return too_many(request)
        if _by_code(code).exists():
            return redirect("web:application_status", code)
        error = _("No application has this tracking code. Check it and try again.")
    return render(
        request, "web/application_lookup.html", {"code": code, "error": error}, status=404 if error else 200
    )


@never_cache
def application_status(request, tracking):
    """An application's state by its tracking code: only what the applicant typed and the
    organization's decision, never another applicant's data."""
    application = get_object_or_404(_by_code(tracking).select_related("estate"))
    application.tracking_code = _tracking(tracking)  # shown as typed: the page is reached with it
    reserved = None
    if application.status == ApplicationStatus.APPROVED:
        reserved = application.holds.filter(kind=HoldKind.RESERVATION).order_by("-released_on").first()
    return render(
        request,
        "web/application_status.html",
        {
            "application": application,
            "state": STATE_LABELS[application.status],
            "plots": application.requested_plots.order_by("code"),
            "reserved_until": reserved.released_on if reserved else None,
            "new": request.GET.get("new") == "1",
            "statuses": ApplicationStatus,
        },
    )
