"""Development projects as an OC4IDS 0.9 project package (Open Contracting for Infrastructure).

Mapping (each project becomes one OC4IDS project):
- id: the publisher prefix + the project's code; title (Persian), description (English title);
- status: planned → preparation, underway and suspended → implementation (suspension is said in
  `statusDetails`-like text of the description, there is no closed code for it), completed →
  completion, cancelled → cancelled;
- sector: water, wastewater → waterAndWaste; electricity, gas → energy; telecom → communications;
  roads → transport.road; buildings → governance;
- budget: the credit in IRR with the approval date and the funding source;
- period: start to planned end; completion: actual end and the sum paid;
- locations: the estate, its county and province, and its point when known;
- transactions: every disbursement (date, IRR, paid by the organization).
Dates are written as midnight in Tehran.
"""

import datetime as dt
import json
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone

from shahrak.projects.models import Category, DevelopmentProject, Disbursement, FundingSource, ProjectStatus

TEHRAN = ZoneInfo("Asia/Tehran")
DEFAULTS = {
    "PREFIX": "oc4ids-shahrk-",
    "PUBLISHER": "Industrial Estates Organization",
    "PUBLISHER_URI": "https://example.org/shahrak",
    "LICENSE": "https://creativecommons.org/licenses/by/4.0/",
}
STATUS = {
    ProjectStatus.PLANNED: "preparation",
    ProjectStatus.UNDERWAY: "implementation",
    ProjectStatus.SUSPENDED: "implementation",
    ProjectStatus.COMPLETED: "completion",
    ProjectStatus.CANCELLED: "cancelled",
}
SECTOR = {
    Category.WATER: "waterAndWaste",
    Category.WASTEWATER: "waterAndWaste",
    Category.ELECTRICITY: "energy",
    Category.GAS: "energy",
    Category.TELECOM: "communications",
    Category.ROADS: "transport.road",
    Category.BUILDINGS: "governance",
}
FUNDING_EN = {
    FundingSource.INTERNAL: "organization's internal resources",
    FundingSource.NATIONAL_BUDGET: "national budget",
    FundingSource.PROVINCIAL: "provincial budget",
    FundingSource.PRIVATE: "private investment",
}


def _setting(name: str) -> str:
    return getattr(settings, "SHAHRAK", {}).get(f"OC4IDS_{name}", DEFAULTS[name])


def _datetime(day: dt.date | None) -> str | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time.min, tzinfo=TEHRAN).isoformat()


def _value(rials: int) -> dict:
    return {"amount": rials, "currency": "IRR"}


def _clean(data):
    """Drop empty values: OC4IDS forbids empty strings, objects and arrays in most places."""
    if isinstance(data, dict):
        cleaned = {k: _clean(v) for k, v in data.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(data, list):
        return [c for c in (_clean(v) for v in data) if c not in (None, "", [], {})]
    return data


def project_json(project: DevelopmentProject, authority: dict) -> dict:
    estate = project.estate
    county = estate.county
    province = county.province
    paid = sum(d.amount_rials for d in project.disbursements.all())
    location = {
        "id": estate.code,
        "description": f"{estate.name_fa} — {county.name_fa}، {province.name_fa}",
        "address": {
            "locality": county.name_en or county.name_fa,
            "region": province.name_en,
            "countryName": "Iran",
        },
    }
    if estate.latitude is not None and estate.longitude is not None:
        location["geometry"] = {
            "type": "Point",
            "coordinates": [float(estate.longitude), float(estate.latitude)],
        }
    description = project.title_en
    if project.status == ProjectStatus.SUSPENDED:
        description = f"{description} (suspended on {project.stopped_date.isoformat()})".strip()
    data = {
        "id": f"{_setting('PREFIX')}{project.code}",
        "language": "fa",
        "title": project.title,
        "description": description,
        "status": STATUS[project.status],
        "type": "construction",
        "sector": [SECTOR[project.category]],
        "publicAuthority": authority,
        "budget": {
            "description": FUNDING_EN[project.funding_source],
            "amount": _value(project.credit_rials),
            "approvalDate": _datetime(project.approved_date),
        },
        "period": {
            "startDate": _datetime(project.start_date),
            "endDate": _datetime(project.planned_end_date),
        },
        "locations": [location],
        "parties": [{**authority, "roles": ["publicAuthority", "payer"]}],
        "transactions": [
            {
                "id": str(payment.pk),
                "date": _datetime(payment.date),
                "value": _value(payment.amount_rials),
                "payer": authority,
            }
            for payment in project.disbursements.all()
        ],
    }
    if project.status == ProjectStatus.COMPLETED:
        data["completion"] = {"endDate": _datetime(project.actual_end_date), "finalValue": _value(paid)}
    if project.status == ProjectStatus.CANCELLED:
        data["completion"] = {"endDate": _datetime(project.stopped_date), "finalValue": _value(paid)}
    return _clean(data)


def project_package(queryset=None) -> dict:
    """An OC4IDS project package of the projects (all of them by default).

    The standard wants at least one project in a package: an empty selection gives an empty list,
    which a validator reports; the web and API only offer the export for a non-empty list.
    """
    queryset = DevelopmentProject.objects.all() if queryset is None else queryset
    queryset = queryset.select_related("estate__county__province").prefetch_related(
        Prefetch("disbursements", queryset=Disbursement.objects.order_by("date", "pk"))
    )
    authority = {"id": "shahrak-organization", "name": _setting("PUBLISHER")}
    projects = [project_json(project, authority) for project in queryset.order_by("code")]
    return {
        "uri": f"{_setting('PUBLISHER_URI')}/oc4ids/{timezone.localdate():%Y%m%d}.json",
        "publishedDate": timezone.now().replace(microsecond=0).isoformat(),
        "publisher": {"name": _setting("PUBLISHER"), "uri": _setting("PUBLISHER_URI")},
        "license": _setting("LICENSE"),
        "version": "0.9",
        "projects": projects,
    }


def oc4ids_response(queryset=None) -> HttpResponse:
    package = project_package(queryset)
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=1), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="projects-oc4ids-{timezone.localdate():%Y%m%d}.json"'
    )
    return response
