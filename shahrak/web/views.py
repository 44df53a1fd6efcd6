"""Pages of the web app that are not one record type's list or page: the language and money-unit
switches, the public catalogue, and (in dashboard.py) the figures."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shahrak.estates.models import Estate, EstateKind, EstateStatus, WorkshopUnit
from shahrak.land.models import Plot
from shahrak.land.siteplan import OPEN_TO_APPLY, site_plan
from shahrak.regions.models import County, Province
from shahrak.ui.format import MONEY_UNITS
from shahrak.ui.preferences import SESSION_MONEY_UNIT


def _next_url(request) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return "/"
    return target


@require_POST
def set_language(request):
    """Switch the language: kept on the user when signed in (it follows them), and in a cookie."""
    code = request.POST.get("language")
    response = HttpResponseRedirect(_next_url(request))
    if code not in dict(settings.LANGUAGES):
        return response
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    translation.activate(code)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@require_POST
def set_money_unit(request):
    unit = request.POST.get("unit")
    if unit in MONEY_UNITS:
        request.session[SESSION_MONEY_UNIT] = unit
    return HttpResponseRedirect(_next_url(request))


def free_workshops_by_estate(day) -> dict[int, int]:
    """Workshops free on the day (WorkshopQuerySet.free_on, the one rule), per estate."""
    rows = WorkshopUnit.objects.free_on(day).order_by().values("estate").annotate(n=Count("id")).values_list("estate", "n")
    return dict(rows)


def free_plots_by_estate(day) -> dict[int, int]:
    """Plots no hold covers on the day (land's rule of "free"), per estate."""
    rows = (
        Plot.objects.free_on(day)
        .order_by()
        .values("estate")
        .annotate(n=Count("id"))
        .values_list("estate", "n")
    )
    return dict(rows)


def catalogue(request):
    """Public, read-only: estates with serviced land or workshops free for an investor today."""
    today = timezone.localdate()
    free = free_workshops_by_estate(today)
    plots = free_plots_by_estate(today)
    estates = (
        Estate.objects.select_related("county__province")
        .with_free_land()
        .filter(status=EstateStatus.OPERATIONAL)
        .order_by("county__province__sci_code", "code")
    )
    province = request.GET.get("province") or ""
    county = request.GET.get("county") or ""  # an estate's page links to its county's estates
    kind = request.GET.get("kind") or ""
    if province:
        estates = estates.filter(county__province__iso_code=province)
    if county:
        estates = estates.filter(county__sci_code=county)
    if kind in EstateKind.values:
        estates = estates.filter(kind=kind)
    rows = list(estates.filter(Q(free_land__gt=0) | Q(pk__in=list(free)) | Q(pk__in=list(plots))))
    for estate in rows:
        estate.free_workshops = free.get(estate.pk, 0)
        estate.free_plots = plots.get(estate.pk, 0)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "web/catalogue.html",
        {
            "page": page,
            "provinces": Province.objects.order_by("name_fa"),
            "kinds": EstateKind.choices,
            "province": province,
            "county": County.objects.filter(sci_code=county).first() if county else None,
            "kind": kind,
            "today": today,
        },
    )


def catalogue_estate(request, code):
    today = timezone.localdate()
    estate = get_object_or_404(
        Estate.objects.select_related("county__province").with_free_land(),
        code=code,
        status=EstateStatus.OPERATIONAL,
    )
    workshops = WorkshopUnit.objects.filter(estate=estate).free_on(today).order_by("code")
    # The plots no hold covers today (land's one rule of "free"): what an investor may apply for.
    plots = Plot.objects.filter(estate=estate).free_on(today).order_by("code")
    apply_url = reverse("web:catalogue_apply", args=[estate.code])

    def apply_link(plot, status):  # a plot that may be handed out opens the application form
        return f"{apply_url}?plot={plot.pk}" if status in OPEN_TO_APPLY else ""

    return render(
        request,
        "web/catalogue_estate.html",
        {
            "estate": estate, "workshops": workshops, "plots": plots, "today": today,
            "site_plan": site_plan(estate, today, link=apply_link),
        },
    )  # fmt: skip
