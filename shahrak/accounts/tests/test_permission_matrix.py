"""The permission matrix: every URL of the project × every role × every method.

The URL patterns are read from the resolver, so a page added anywhere is in this test: it fails
until the page has a row in MATRIX (a rule naming who may read and who may write). Each request
runs in a savepoint that is rolled back, so the requests of one URL do not see each other's
writes. A write that is refused must leave every domain record and history row as it was; a
write that is allowed must change them.

Roles: anonymous, viewer, national analyst, provincial officer of Tehran (IR-23), administrator.
The officer is tried on a record of Tehran ("own") and of Isfahan ("other").
"""

import dataclasses
import datetime as dt
import functools
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from shahrak.accounts.models import Role
from shahrak.analysis.models import Claim
from shahrak.imports.models import ImportJob, JobStatus
from shahrak.imports.tests.sample import build_world
from shahrak.regions.models import County
from tests.factories import make_estate, make_project, national_id

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "viewer", "analyst", "officer", "administrator")
# What a provincial officer keeps for their province (issue 5: estates, units, projects, spending).
OFFICER_WRITES = {
    "estates.estate", "estates.workshopunit", "units.productionunit", "units.unitevent",
    "projects.developmentproject", "projects.disbursement", "projects.planneddisbursement",
    # Land and workshops of their province (programmes are national: administrators).
    "land.plot", "land.plothold", "land.application", "land.allocationcontract", "land.contractextension",
    "land.contracttransfer", "land.instalment", "land.landpayment", "land.workshoplease", "land.programmemember",
    "land.plotchange",
}  # fmt: skip
WEB_APPS = "regions|estates|units|projects|targets|money|analysis|land"
API_MODELS = {
    "provinces": "regions.province", "counties": "regions.county", "estates": "estates.estate",
    "workshops": "estates.workshopunit", "units": "units.productionunit", "events": "units.unitevent",
    "projects": "projects.developmentproject", "disbursements": "projects.disbursement",
    "planned": "projects.planneddisbursement", "targets": "targets.target", "rates": "money.exchangerate",
    # Land and workshops (/api/land/...): read only, written by the web app's named actions.
    "land_plots": "land.plot", "land_applications": "land.application",
    "land_contracts": "land.allocationcontract", "land_instalments": "land.instalment",
    "land_payments": "land.landpayment", "land_leases": "land.workshoplease", "land_programmes": "land.programme",
    "land_programme_members": "land.programmemember", "land_extensions": "land.contractextension",
    "land_transfers": "land.contracttransfer", "land_holds": "land.plothold",
}  # fmt: skip

# Read only in the API, for every role: reference data, and land, which changes only through the
# named actions of the web app (shahrak/land/actions.py).
API_READ_ONLY = {"provinces", "counties"} | {slug for slug in API_MODELS if slug.startswith("land_")}

# URL name (namespace:name, a regular expression matched in full) → kind of page.
MATRIX = [
    (r"admin:login", "public"),
    (r"admin:.*", "staff"),
    (r"login", "public"),
    (r"logout", "signout"),
    (r"set_language|web:set_language|web:money_unit", "preference"),
    (r"web:catalogue|web:catalogue_estate", "public"),
    # The investor's side without an account (issue 13): the status page by tracking code and the
    # lookup form are read by anyone; the application form is written by anyone (run_public_form).
    (r"web:application_lookup|web:application_status", "public"),
    (r"web:catalogue_apply", "public-form"),
    (r"web:dashboard|web:trend|web:map|web:balance|web:drilldown", "read"),
    (r"analysis:ledger|analysis:constant_rials|analysis:nowcast|analysis:scenario_list", "read"),
    # Data quality per province (issue 14): every signed-in role reads the ranking and a province's rules.
    (r"analysis:quality|analysis:quality_province", "read"),
    # What-if scenarios (issue 15): saved by national analysts and administrators (run_scenario_save).
    (r"analysis:scenario_save", "scenario-save"),
    # Land and workshops: the named actions on an application, a contract and a lease, signing (its
    # terms page too) and leasing a workshop: by who may change the record (run_land_action).
    (r"land:(?:application|allocationcontract|workshoplease)_action", "land-action"),
    # Merging and splitting a plot (issue 13): by who may change the plot.
    (r"land:plot_action", "land-action"),
    (r"land:application_sign|land:workshoplease_add", "land-action"),
    # The contract and its schedule as a PDF: read by whoever reads the contract's page.
    (r"land:allocationcontract_pdf", "record-read"),
    (rf"(?:{WEB_APPS}):\w+_(?:list|export)", "read"),
    (rf"(?:{WEB_APPS}):\w+_history", "record-read"),
    (rf"(?:{WEB_APPS}):\w+_add", "record-add"),
    (rf"(?:{WEB_APPS}):\w+_edit", "record-edit"),
    (rf"(?:{WEB_APPS}):\w+_delete", "record-delete"),
    (rf"(?:{WEB_APPS}):\w+_deleted", "record-restore"),
    (rf"(?:{WEB_APPS}):\w+", "record-read"),
    (r"api:api-root|api:metrics", "api-read"),
    (r"api:schema|api:docs", "public"),
    (r"healthz|readyz", "probe"),
    (r"api:token", "api-token"),
    (r"api:\w+-list", "api-list"),
    (r"api:\w+-detail", "api-detail"),
    (r"imports:upload", "import-upload"),
    (r"imports:job|imports:progress|imports:rejected", "import-job"),
    (r"imports:confirm", "import-confirm"),
    (r"imports:again", "import-again"),
    (r"imports:template|imports:oc4ids", "read"),
    # Monthly returns: every signed-in role reads them; their actions are tested by role in
    # shahrak/returns/tests (who may submit, approve, return, reopen).
    (r"returns:monthlyreturn_list|returns:month", "read"),
    (r"returns:monthlyreturn|returns:monthlyreturn_history", "return-read"),
]


def url_patterns():
    """(name with namespaces, route, pattern) of every URL the project answers."""

    def walk(patterns, route="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, route + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern):
                yield namespace + (pattern.name or "?"), route + str(pattern.pattern), pattern

    return list(walk(get_resolver().url_patterns))


def kind_of(name: str) -> str | None:
    for regex, kind in MATRIX:
        if re.fullmatch(regex, name):
            return kind
    return None


def test_every_url_is_in_the_matrix():
    missing = sorted({f"{name}  ({route})" for name, route, _p in url_patterns() if kind_of(name) is None})
    assert missing == [], "URLs without a row in the permission matrix:\n" + "\n".join(missing)


def test_every_row_of_the_matrix_is_used():
    names = [name for name, _r, _p in url_patterns()]
    unused = [regex for regex, _kind in MATRIX if not any(re.fullmatch(regex, n) for n in names)]
    assert unused == []


# Targets --------------------------------------------------------------------------------------


@dataclasses.dataclass
class Targets:
    """Records each URL acts on: own (Tehran) and other (Isfahan) per model label."""

    own: dict
    other: dict
    deleted_own: dict
    deleted_other: dict
    job: ImportJob
    land: dict = dataclasses.field(default_factory=dict)


def build_targets(users) -> Targets:
    world = build_world()
    # Leaves that may be deleted (nothing refers to them).
    leaf_estate_own, leaf_estate_other = (
        make_estate("2301", code="TH-LEAF"),
        make_estate("1002", code="IS-LEAF"),
    )
    leaf_project_own = make_project(world.tehran_estate, code="P-LEAF-T")
    leaf_project_other = make_project(world.isfahan_estate, code="P-LEAF-I")
    empty_county_own, empty_county_other = (
        County.objects.filter(province__iso_code=iso, estates__isnull=True, units__isnull=True)
        .order_by("sci_code")
        .first()
        for iso in ("IR-23", "IR-10")
    )
    # A published claim is national, as a rate is: the same record on both sides.
    claim = Claim(
        code="TT-TEST-01", quote="quote", outlet="Test Times", published_on=dt.date(2023, 1, 1),
        metric="workshops_opened", period_start=dt.date(2022, 3, 21), period_end=dt.date(2022, 12, 21),
        value=3, unit="count", qualifier="exact",
    )  # fmt: skip
    claim.full_clean()
    claim.save()
    own = {
        "estates.estate": leaf_estate_own, "estates.workshopunit": world.tehran_workshop,
        "units.productionunit": world.tehran_unit, "units.unitevent": world.tehran_event,
        "projects.developmentproject": leaf_project_own, "projects.disbursement": world.tehran_payment,
        "projects.planneddisbursement": world.tehran_plan, "targets.target": world.tehran_target,
        "money.exchangerate": world.rate, "regions.county": empty_county_own, "regions.province": world.tehran,
        "analysis.claim": claim,
    }  # fmt: skip
    other = {
        "estates.estate": leaf_estate_other, "estates.workshopunit": world.isfahan_workshop,
        "units.productionunit": world.isfahan_unit, "units.unitevent": world.isfahan_event,
        "projects.developmentproject": leaf_project_other, "projects.disbursement": world.isfahan_payment,
        "projects.planneddisbursement": world.isfahan_plan, "targets.target": world.national_target,
        "money.exchangerate": world.rate, "regions.county": empty_county_other, "regions.province": world.isfahan,
        "analysis.claim": claim,
    }  # fmt: skip
    land = {
        "own": build_land(world.tehran_estate, users["administrator"]),
        "other": build_land(world.isfahan_estate, users["administrator"]),
    }
    for side, records in (("own", own), ("other", other)):
        for label in (
            "land.plot", "land.application", "land.allocationcontract", "land.workshoplease",
            "land.instalment", "land.landpayment", "land.contractextension", "land.contracttransfer",
            "land.plothold", "land.programmemember",
        ):  # fmt: skip
            records[label] = land[side][label]
        records["land.programme"] = land["own"]["land.programme"]  # national, as a rate is
    deleted_own, deleted_other = {}, {}
    for label in own:
        model = type(own[label])
        if not hasattr(model, "history") or label.startswith("regions."):
            continue
        if label.startswith("land.") and label != "land.plot":
            continue  # only plots have a page of deleted records
        for store, source in ((deleted_own, own), (deleted_other, other)):
            if label in ("money.exchangerate", "analysis.claim") and store is deleted_other:
                continue
            twin = _twin(source[label])
            twin.save()
            twin_pk = twin.pk
            twin.delete()
            store[label] = model.history.filter(id=twin_pk, history_type="-").get().history_id
    job = ImportJob(
        user=users["officer"], filename="units.csv", size=10, status=JobStatus.CHECKED, resource="units",
        preview={"rows": 1, "created": 0, "updated": 0, "unchanged": 1, "rejected": 0, "error_count": 0,
                 "errors": [], "error_lines": [], "changes": []},
    )  # fmt: skip
    unit = world.tehran_unit
    job.file.save(
        "units.csv", ContentFile(f"national_id,employees\n{unit.national_id},{unit.employees}\n".encode())
    )
    return Targets(own, other, deleted_own, deleted_other, job, land)


LAND_DAY = dt.date(2023, 1, 1)


def build_land(estate, admin) -> dict:
    """One estate's land records in every state the land pages act on (issue 13), with a unit of
    its own as the tenant (the world's units stay free to be deleted)."""
    from shahrak.land import actions as land
    from shahrak.land.models import Application, Plot, Programme, ProgrammeMember
    from tests.factories import make_unit, make_workshop

    unit = make_unit(estate)
    serial = 9000 + estate.pk * 10

    def plot(code):
        return Plot.objects.create(
            estate=estate, code=code, area_m2=1000, price_per_m2_rials=1_000_000,
            has_water=True, has_electricity=True, has_gas=True, has_road=True, has_telecom=True,
        )  # fmt: skip

    def application(n):
        found = Application(
            estate=estate, applicant_kind="legal", applicant_id=national_id(serial + n), name=f"متقاضی {n}",
            requested_area_m2=1000, applied_date=dt.date(2022, 12, 15), isic_id=unit.isic_id,
        )  # fmt: skip
        return land.submit_application(found, actor=admin)

    submitted = application(1)
    submitted.requested_plots.set([plot("P-S")])
    approved = land.approve(application(2), [plot("P-A")], day=LAND_DAY, actor=admin)
    signed = land.approve(application(3), [plot("P-C")], day=LAND_DAY, actor=admin)
    contract = land.sign_contract(signed, signed=LAND_DAY, actor=admin)
    payment = land.record_payment(contract, date=LAND_DAY, amount_rials=10**6, reference="P-1", actor=admin)
    leased = make_workshop(estate, code="W-L", completed_date=dt.date(2022, 1, 1))
    lease = land.lease_workshop(
        leased, unit, start=LAND_DAY, end=dt.date(2029, 12, 31), monthly_rent_rials=10**6, actor=admin
    )
    make_workshop(estate, code="W-F", completed_date=dt.date(2022, 1, 1))
    programme = Programme.objects.filter(code="P1000").first() or Programme.objects.create(
        code="P1000", name_fa="طرح ۱۰۰۰ کارگاه", target=1000
    )
    extension = land.extend(
        contract, new_deadline=dt.date(2025, 6, 1), reason="تأخیر", granted=LAND_DAY, actor=admin
    )
    # Held by a buyer since: the matrix's own transfer hands it on to the estate's unit.
    transfer = land.transfer(contract, make_unit(estate), date=LAND_DAY, reason="فروش", actor=admin)
    member = ProgrammeMember.objects.create(programme=programme, workshop=leased)
    return {
        "land.contractextension": extension, "land.contracttransfer": transfer,
        "land.plothold": contract.holds.get(), "land.programmemember": member,
        "land.plot": plot("LEAF"), "land.application": submitted, "approved": approved,
        "land.allocationcontract": contract, "land.workshoplease": lease, "land.programme": programme,
        "land.instalment": contract.instalments.order_by("number").first(), "land.landpayment": payment,
        "unit": unit, "estate": estate,
    }  # fmt: skip


def _twin(obj):
    """An unsaved copy of a record with its natural key changed, to be deleted and then restored."""
    twin = type(obj)._default_manager.get(pk=obj.pk)
    twin.pk = twin.id = None
    twin._state.adding = True
    for name, value in fresh_values(obj).items():
        setattr(twin, name, value)
    return twin


def fresh_values(obj) -> dict:
    """Field values that make a copy of the record a new record (its natural key changed)."""
    label = obj._meta.label_lower
    serial = 8000 + obj.pk
    if label == "units.unitevent":
        # A second establishment is not allowed: the copy of one is a closure.
        changes = {"date": dt.date(2024, 1, 1) + dt.timedelta(days=obj.pk)}
        return changes | ({"kind": "closed"} if obj.kind == "established" else {})
    changes = {
        "estates.estate": lambda: {"code": f"{obj.code}-N"},
        "estates.workshopunit": lambda: {"code": f"{obj.code}-N"},
        "units.productionunit": lambda: {"national_id": national_id(serial)},
        "projects.developmentproject": lambda: {"code": f"{obj.code}-N"},
        "projects.disbursement": lambda: {"reference": f"NEW-{obj.pk}"},
        "projects.planneddisbursement": lambda: {"month": 3},
        "targets.target": lambda: {"metric": "estates_licensed"},
        "money.exchangerate": lambda: {"date": dt.date(2024, 1, 1)},
        "regions.county": lambda: {"sci_code": "2399"},
        "analysis.claim": lambda: {"code": f"{obj.code}-N"},
        "land.plot": lambda: {"code": f"{obj.code}-N"},
        "land.programme": lambda: {"code": f"{obj.code}-N"},
    }
    return changes[label]() if label in changes else {}


def touch_values(obj) -> dict:
    """A small real change of the record as stored now: a write that changes nothing writes no
    history (the write path skips it), so an allowed write must change something to show."""
    stored = type(obj)._default_manager.get(pk=obj.pk)
    label = obj._meta.label_lower
    changes = {
        "estates.estate": lambda: {"name_fa": stored.name_fa + "ب"},
        "estates.workshopunit": lambda: {"floor_area_m2": stored.floor_area_m2 + 1},
        "units.productionunit": lambda: {"employees": stored.employees + 1},
        "units.unitevent": lambda: {"date": stored.date - dt.timedelta(days=1)},
        "projects.developmentproject": lambda: {"title": stored.title + "ب"},
        "projects.disbursement": lambda: {"amount_rials": stored.amount_rials + 1},
        "projects.planneddisbursement": lambda: {"amount_rials": stored.amount_rials + 1},
        "targets.target": lambda: {"value": stored.value + 1},
        "money.exchangerate": lambda: {"rials_per_unit": str(stored.rials_per_unit + 1)},
        "regions.county": lambda: {"name_en": (stored.name_en or "") + "x"},
        "analysis.claim": lambda: {"note": (stored.note or "") + "x"},
        "land.plot": lambda: {"price_per_m2_rials": stored.price_per_m2_rials + 1},
        "land.programme": lambda: {"target": stored.target + 1},
    }
    return changes[label]() if label in changes else {}


# Requests -------------------------------------------------------------------------------------


def model_of(name: str) -> str | None:
    """The model label a URL is about: 'units:productionunit_edit' → 'units.productionunit'."""
    if name.startswith("api:"):
        return API_MODELS.get(name[4:].rsplit("-", 1)[0])
    match = re.fullmatch(
        rf"({WEB_APPS}):([a-z]+?)(?:_(?:list|export|add|edit|delete|deleted|history|pdf))?", name
    )
    return f"{match.group(1)}.{match.group(2)}" if match else None


def form_data(form) -> dict:
    """What a browser would send back for a bound-to-instance form, field by field."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        formatted = field.widget.format_value(value)
        if isinstance(formatted, list):
            formatted = formatted[0] if formatted else ""
        data[name] = "" if formatted is None else formatted
    return data


def web_post_data(pattern, obj, admin, changes: dict | None = None) -> dict:
    view = pattern.callback.view_class
    form = view.form(instance=type(obj)._default_manager.get(pk=obj.pk), user=admin)
    data = form_data(form)
    for name, value in (changes or {}).items():
        data[name] = value.isoformat() if isinstance(value, dt.date) else str(value)
    return data


def api_data(slug: str, obj, changes: dict | None = None) -> dict:
    from shahrak.api.land import LAND_VIEWSETS
    from shahrak.api.views import VIEWSETS

    viewsets = VIEWSETS | dict(LAND_VIEWSETS.values())
    serializer_class = viewsets[slug].serializer_class
    data = dict(serializer_class(obj).data)
    for name, field in serializer_class().fields.items():
        if field.read_only:
            data.pop(name, None)
    for name, value in (changes or {}).items():
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    return data


def kwargs_for(pattern, name: str, obj, targets: Targets) -> dict:
    converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
    names = set(converters) | set(pattern.pattern.regex.groupindex)
    kwargs = {}
    for key in names:
        if key in ("pk", "object_id", "id"):
            kwargs[key] = (
                targets.job.pk if name.startswith("imports:") else (obj.pk if obj is not None else 1)
            )
        elif key == "format":
            kwargs[key] = "json"
        elif key == "name":
            kwargs[key] = "workshops_opened"
        elif key == "code":
            kwargs[key] = targets.own["estates.estate"].code
        elif key == "resource":
            kwargs[key] = "units"
        elif key == "fmt":
            kwargs[key] = "csv"
        elif key == "province":
            kwargs[key] = "IR-23"
        elif key == "year":
            kwargs[key] = 1401
        elif key == "month":
            kwargs[key] = 9
        elif key == "app_label":
            kwargs[key] = "units"
        elif key == "content_type_id":
            from django.contrib.contenttypes.models import ContentType

            from shahrak.units.models import ProductionUnit

            kwargs[key] = ContentType.objects.get_for_model(ProductionUnit).pk
        elif key == "tracking":
            kwargs[key] = targets.land["own"]["land.application"].tracking_code
        elif key == "history_id":
            kwargs[key] = 1
        elif key == "url":
            kwargs[key] = "nowhere/"
        else:
            raise AssertionError(f"no value for <{key}> of {name}: add it to kwargs_for")
    return kwargs


@dataclasses.dataclass
class Outcome:
    status: int
    changed: bool
    location: str


def fingerprint() -> tuple:
    """Rows and history rows of every audited record type, in one query. Every write of the app
    goes through the ORM with django-simple-history (bulk updates without it are refused), so a
    write shows here as a new history row; "the database is unchanged" is checked against this."""
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL())
        return cursor.fetchone()


@functools.cache
def _FINGERPRINT_SQL() -> str:  # noqa: N802 -- a cached constant
    from django.apps import apps

    parts = []
    for model in apps.get_models():
        if hasattr(model, "history") and not model._meta.proxy:
            table, history = model._meta.db_table, model.history.model._meta.db_table
            parts += [
                f'(SELECT COUNT(*) FROM "{table}")',
                f'(SELECT COUNT(*) FROM "{history}")',
                f'(SELECT MAX("history_id") FROM "{history}")',
            ]
    return "SELECT " + ", ".join(parts)


def attempt(client, method: str, url: str, data=None, *, api: bool) -> Outcome:
    before = fingerprint()
    with transaction.atomic():
        call = getattr(client, method.lower())
        kwargs = {"format": "json"} if api and data is not None else {}
        response = call(url, data, **kwargs) if data is not None else call(url)
        changed = fingerprint() != before
        transaction.set_rollback(True)
    return Outcome(response.status_code, changed, response.get("Location", ""))


def is_login_redirect(outcome: Outcome) -> bool:
    return outcome.status == 302 and ("/login/" in outcome.location)


# Expectations ---------------------------------------------------------------------------------


def may_write(role: str, label: str | None, side: str) -> bool:
    if role == "administrator":
        return True
    return role == "officer" and label in OFFICER_WRITES and side == "own"


def check_read(outcome: Outcome, role: str, *, api: bool, where: str):
    assert not outcome.changed, where
    if role == "anonymous":
        assert (outcome.status == 401) if api else is_login_redirect(outcome), where
    else:
        assert outcome.status == 200, where


def check_write(outcome: Outcome, allowed: bool, role: str, *, api: bool, where: str):
    assert outcome.status < 500, where
    if allowed:
        assert outcome.changed, f"{where}: an allowed write changed nothing"
    else:
        assert not outcome.changed, f"{where}: a refused write changed the database"
        if role == "anonymous":
            assert (outcome.status == 401) if api else is_login_redirect(outcome), where
        else:
            assert outcome.status in (200, 302, 400, 403, 404, 405), where
            if api:
                assert outcome.status in (403, 404, 405), where


def check_page_for_writers(outcome: Outcome, allowed: bool, role: str, where: str):
    assert not outcome.changed, where
    if role == "anonymous":
        assert is_login_redirect(outcome), where
    elif allowed:
        assert outcome.status == 200, where
    else:
        assert outcome.status in (403, 404), where


@pytest.fixture
def users(make_user):
    return {
        "viewer": make_user(Role.VIEWER, username="m-viewer"),
        "analyst": make_user(Role.ANALYST, username="m-analyst"),
        "officer": make_user(Role.OFFICER, province="IR-23", username="m-officer"),
        "administrator": make_user(Role.ADMINISTRATOR, username="m-admin"),
    }


def clients(users, *, api: bool) -> dict:
    result = {}
    for role in ROLES:
        client = APIClient() if api else Client()
        if role != "anonymous":
            if api:
                client.force_authenticate(users[role])
            else:
                client.force_login(users[role])
        result[role] = client
    return result


# Pages that break the matrix today. Strict: when one is fixed, its test passes and its entry must go.
KNOWN_BROKEN: dict[str, str] = {}


def matrix_cases():
    for name, route in sorted({(name, route) for name, route, _p in url_patterns()}):
        marks = [pytest.mark.xfail(reason=KNOWN_BROKEN[name], strict=True)] if name in KNOWN_BROKEN else []
        yield pytest.param(name, route, marks=marks, id=f"{name}-{route}")


@pytest.mark.parametrize(("name", "route"), list(matrix_cases()))
def test_matrix(name, route, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pattern = next(p for n, r, p in url_patterns() if n == name and r == route)
    kind = kind_of(name)
    assert kind is not None, f"{name} is not in the matrix"
    targets = build_targets(users) if kind in NEEDS_RECORDS else None
    label = model_of(name)
    api = name.startswith("api:")
    web, rest = clients(users, api=False), clients(users, api=True)
    run = RUNS[kind]
    run(name=name, pattern=pattern, label=label, targets=targets, users=users, clients=rest if api else web)


def url(name, pattern, obj, targets):
    if name.endswith("?"):  # an unnamed pattern: the admin site's catch-all
        return "/admin/nowhere/"
    regex = pattern.pattern.regex
    if regex.groups > len(regex.groupindex):  # positional groups (simple-history's admin pages)
        return reverse(name, args=[obj.pk if obj is not None else 1] + [1] * (regex.groups - 1))
    return reverse(name, kwargs=kwargs_for(pattern, name, obj, targets))


def run_public(*, name, pattern, label, targets, users, clients):
    obj = targets.own.get(label) if label else None
    for role in ROLES:
        where = f"{role} GET {name}"
        outcome = attempt(clients[role], "GET", url(name, pattern, obj, targets), api=False)
        assert outcome.status == 200 and not outcome.changed, where


def run_public_form(*, name, pattern, label, targets, users, clients):
    """The public application form: every role reads it; a valid application from anyone (no
    account needed) adds one, through the public write path; an empty one changes nothing."""
    from django.core.cache import cache

    from shahrak.land.validators import national_code_check_digit

    land = targets.land["own"]
    path = reverse(name, kwargs={"code": land["estate"].code})
    valid = {
        "applicant_kind": "natural", "applicant_id": "001234567" + str(national_code_check_digit("001234567")),
        "name": "متقاضی برخط", "phone": "09120000000", "requested_area_m2": "1000", "plots": [land["land.plot"].pk],
    }  # fmt: skip
    for role in ROLES:
        cache.clear()  # the rate limit counts per address: each role starts afresh
        page = attempt(clients[role], "GET", path, api=False)
        assert page.status == 200 and not page.changed, f"{role} GET {name}"
        empty = attempt(clients[role], "POST", path, {}, api=False)
        assert empty.status == 200 and not empty.changed, f"{role} POST {name} (empty)"
        sent = attempt(clients[role], "POST", path, valid, api=False)
        assert sent.status == 302 and sent.changed, f"{role} POST {name}"
        assert "/application-status/" in sent.location, f"{role} POST {name}"
    cache.clear()


def run_probe(*, name, pattern, label, targets, users, clients):
    # Health probes answer anyone, say nothing but their checks and change nothing; /readyz is 503
    # here (no task worker beats in the tests), which is its honest answer.
    for role in ROLES:
        outcome = attempt(clients[role], "GET", url(name, pattern, None, targets), api=False)
        assert outcome.status == {"healthz": 200, "readyz": 503}[name] and not outcome.changed, (
            f"{role} GET {name}"
        )
        posted = attempt(clients[role], "POST", url(name, pattern, None, targets), {}, api=False)
        assert posted.status == 405 and not posted.changed, f"{role} POST {name}"


def run_read(*, name, pattern, label, targets, users, clients):
    path = url(name, pattern, None, targets)
    query = QUERIES.get(name) or ({"format": "csv"} if name.endswith("_export") else None)
    for role in ROLES:
        outcome = attempt(clients[role], "GET", path, query, api=False)
        check_read(outcome, role, api=False, where=f"{role} GET {name}")
        posted = attempt(clients[role], "POST", path, {}, api=False)
        assert posted.status < 500 and not posted.changed, f"{role} POST {name}"


def run_return_read(*, name, pattern, label, targets, users, clients):
    """A stored monthly return's page and history: read by every signed-in role; a bare POST
    changes nothing."""
    from shahrak.regions.models import Province
    from shahrak.returns.actions import return_for

    found = return_for(Province.objects.get(iso_code="IR-23"), 1401, 9)
    path = reverse(name, kwargs={"pk": found.pk})
    for role in ROLES:
        outcome = attempt(clients[role], "GET", path, api=False)
        check_read(outcome, role, api=False, where=f"{role} GET {name}")
        posted = attempt(clients[role], "POST", path, {}, api=False)
        assert posted.status < 500 and not posted.changed, f"{role} POST {name}"


QUERIES = {"web:trend": {"metric": "workshops_opened"}, "web:map": {"metric": "workshops_opened"}}


def run_record_read(*, name, pattern, label, targets, users, clients):
    for side, records in (("own", targets.own), ("other", targets.other)):
        path = url(name, pattern, records[label], targets)
        for role in ROLES:
            check_read(
                attempt(clients[role], "GET", path, api=False),
                role,
                api=False,
                where=f"{role} GET {name} ({side})",
            )
            posted = attempt(clients[role], "POST", path, {}, api=False)
            assert posted.status < 500 and not posted.changed, f"{role} POST {name}"


def run_staff(*, name, pattern, label, targets, users, clients):
    """Django's admin site: for staff only, and no role here is staff."""
    path = url(name, pattern, None, targets)  # refused before any record is looked up
    for role in ROLES:
        for method in ("GET", "POST"):
            outcome = attempt(clients[role], method, path, {} if method == "POST" else None, api=False)
            where = f"{role} {method} {name}"
            assert not outcome.changed, where
            # Redirected to the admin's sign-in (or, signing out, to the admin's front door).
            assert outcome.status == 405 or (
                outcome.status == 302 and outcome.location.startswith("/admin/")
            ), where


def run_signout(*, name, pattern, label, targets, users, clients):
    for role in ROLES:
        assert attempt(clients[role], "GET", reverse(name), api=False).status == 405
        outcome = attempt(clients[role], "POST", reverse(name), {}, api=False)
        assert outcome.status == 302 and not outcome.changed


def run_preference(*, name, pattern, label, targets, users, clients):
    for role in ROLES:
        outcome = attempt(clients[role], "POST", reverse(name), {"language": "en", "unit": "rial"}, api=False)
        assert outcome.status == 302 and not outcome.changed, f"{role} POST {name}"


def run_record_add(*, name, pattern, label, targets, users, clients):
    path = reverse(name)
    admin = users["administrator"]
    for role in ROLES:
        allowed_page = may_write(role, label, "own")
        check_page_for_writers(
            attempt(clients[role], "GET", path, api=False), allowed_page, role, f"{role} GET {name}"
        )
        for side, records in (("own", targets.own), ("other", targets.other)):
            source = records[label]
            data = web_post_data(pattern, source, admin, fresh_values(source))
            outcome = attempt(clients[role], "POST", path, data, api=False)
            check_write(
                outcome, may_write(role, label, side), role, api=False, where=f"{role} POST {name} ({side})"
            )


def run_record_edit(*, name, pattern, label, targets, users, clients):
    admin = users["administrator"]
    for side, records in (("own", targets.own), ("other", targets.other)):
        obj = records[label]
        path = url(name, pattern, obj, targets)
        for role in ROLES:
            allowed = may_write(role, label, side)
            data = web_post_data(pattern, obj, admin, touch_values(obj))
            check_page_for_writers(
                attempt(clients[role], "GET", path, api=False), allowed, role, f"{role} GET {name} ({side})"
            )
            outcome = attempt(clients[role], "POST", path, data, api=False)
            check_write(outcome, allowed, role, api=False, where=f"{role} POST {name} ({side})")
    # An officer may not move their own record into another province either.
    moved = MOVES.get(label)
    if moved:
        obj = targets.own[label]
        data = web_post_data(pattern, obj, admin, {moved: _pk_or_value(targets.other[FK_MODEL[label]])})
        outcome = attempt(clients["officer"], "POST", url(name, pattern, obj, targets), data, api=False)
        check_write(
            outcome, False, "officer", api=False, where=f"officer POST {name} (moved to the other province)"
        )


MOVES = {
    "estates.estate": "county", "estates.workshopunit": "estate", "units.productionunit": "estate",
    "units.unitevent": "unit", "projects.developmentproject": "estate", "projects.disbursement": "project",
    "projects.planneddisbursement": "project", "land.plot": "estate",
}  # fmt: skip
FK_MODEL = {
    "estates.estate": "regions.county", "estates.workshopunit": "estates.estate", "units.productionunit": "estates.estate",
    "units.unitevent": "units.productionunit", "projects.developmentproject": "estates.estate",
    "projects.disbursement": "projects.developmentproject", "projects.planneddisbursement": "projects.developmentproject",
    "land.plot": "estates.estate",
}  # fmt: skip


def _pk_or_value(obj):
    if obj._meta.label_lower == "units.productionunit":
        return obj.national_id  # the event form names its unit by national ID
    return obj.pk


def run_record_delete(*, name, pattern, label, targets, users, clients):
    for side, records in (("own", targets.own), ("other", targets.other)):
        obj = records[label]
        path = url(name, pattern, obj, targets)
        for role in ROLES:
            allowed = may_write(role, label, side)
            check_page_for_writers(
                attempt(clients[role], "GET", path, api=False), allowed, role, f"{role} GET {name} ({side})"
            )
            outcome = attempt(clients[role], "POST", path, {}, api=False)
            check_write(outcome, allowed, role, api=False, where=f"{role} POST {name} ({side})")


def run_record_restore(*, name, pattern, label, targets, users, clients):
    path = reverse(name)
    for role in ROLES:
        check_read(
            attempt(clients[role], "GET", path, api=False), role, api=False, where=f"{role} GET {name}"
        )
        for side, deleted in (("own", targets.deleted_own), ("other", targets.deleted_other)):
            if label not in deleted:
                continue
            outcome = attempt(clients[role], "POST", path, {"history_id": deleted[label]}, api=False)
            check_write(
                outcome, may_write(role, label, side), role, api=False, where=f"{role} POST {name} ({side})"
            )


def run_api_read(*, name, pattern, label, targets, users, clients):
    path = url(name, pattern, None, targets)
    query = {"year": 1401} if name == "api:metrics" else None
    for role in ROLES:
        check_read(
            attempt(clients[role], "GET", path, query, api=True), role, api=True, where=f"{role} GET {name}"
        )
        posted = attempt(clients[role], "POST", path, {}, api=True)
        assert posted.status in ((401,) if role == "anonymous" else (405,)) and not posted.changed, (
            f"{role} POST {name}"
        )


def run_api_token(*, name, pattern, label, targets, users, clients):
    for role in ROLES:
        assert attempt(clients[role], "GET", reverse(name), api=True).status in (401, 405)
        outcome = attempt(
            clients[role], "POST", reverse(name), {"username": "m-viewer", "password": "wrong"}, api=True
        )
        assert outcome.status == 400 and not outcome.changed


def run_api_list(*, name, pattern, label, targets, users, clients):
    slug = name[4:].rsplit("-", 1)[0]
    path = url(name, pattern, None, targets)
    for role in ROLES:
        check_read(attempt(clients[role], "GET", path, api=True), role, api=True, where=f"{role} GET {name}")
        for side, records in (("own", targets.own), ("other", targets.other)):
            source = records[label]
            outcome = attempt(
                clients[role], "POST", path, api_data(slug, source, fresh_values(source)), api=True
            )
            allowed = may_write(role, label, side) and slug not in API_READ_ONLY
            check_write(outcome, allowed, role, api=True, where=f"{role} POST {name} ({side})")


def run_api_detail(*, name, pattern, label, targets, users, clients):
    slug = name[4:].rsplit("-", 1)[0]
    for side, records in (("own", targets.own), ("other", targets.other)):
        obj = records[label]
        path = url(name, pattern, obj, targets)
        for role in ROLES:
            check_read(
                attempt(clients[role], "GET", path, api=True),
                role,
                api=True,
                where=f"{role} GET {name} ({side})",
            )
            allowed = may_write(role, label, side) and slug not in API_READ_ONLY
            for method in ("PUT", "PATCH", "DELETE"):
                data = api_data(slug, obj, touch_values(obj)) if method != "DELETE" else None
                outcome = attempt(clients[role], method, path, data, api=True)
                check_write(outcome, allowed, role, api=True, where=f"{role} {method} {name} ({side})")


def run_import_upload(*, name, pattern, label, targets, users, clients):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shahrak.units.models import ProductionUnit

    path = reverse(name)
    unit = ProductionUnit.objects.get(pk=targets.own["units.productionunit"].pk)
    for role in ROLES:
        allowed = role in ("officer", "administrator")
        check_page_for_writers(
            attempt(clients[role], "GET", path, api=False), allowed, role, f"{role} GET {name}"
        )
        csv = f"national_id,employees\n{unit.national_id},{unit.employees + 1}\n".encode()
        with transaction.atomic():
            response = clients[role].post(
                path, {"file": SimpleUploadedFile("units.csv", csv), "resource": "units"}
            )
            made = (
                role != "anonymous"
                and ImportJob.objects.filter(filename="units.csv", user=users[role]).exists()
            )
            transaction.set_rollback(True)
        where = f"{role} POST {name}"
        if role == "anonymous":
            assert response.status_code == 302 and "/login/" in response["Location"] and not made, where
        elif allowed:
            assert response.status_code == 302 and made, where
        else:
            assert response.status_code == 403 and not made, where


def run_import_job(*, name, pattern, label, targets, users, clients):
    """A job is seen by the person who uploaded it (the officer here) and by administrators."""
    path = url(name, pattern, None, targets)
    for role in ROLES:
        outcome = attempt(clients[role], "GET", path, api=False)
        where = f"{role} GET {name}"
        assert not outcome.changed, where
        if role == "anonymous":
            assert is_login_redirect(outcome), where
        elif role in ("officer", "administrator"):
            assert outcome.status == (404 if name == "imports:rejected" else 200), where  # no rejected file
        else:
            assert outcome.status == 404, where


def run_import_confirm(*, name, pattern, label, targets, users, clients):
    """Only the uploader confirms; others get 404 (not theirs) or 403 (an administrator)."""
    path = url(name, pattern, None, targets)
    for role in ROLES:
        with transaction.atomic():
            response = clients[role].post(path)
            status = ImportJob.objects.get(pk=targets.job.pk).status
            transaction.set_rollback(True)
        where = f"{role} POST {name}"
        expected = {"anonymous": 302, "viewer": 404, "analyst": 404, "officer": 302, "administrator": 403}[
            role
        ]
        assert response.status_code == expected, where
        assert status == (JobStatus.DONE if role == "officer" else JobStatus.CHECKED), where


def run_import_again(*, name, pattern, label, targets, users, clients):
    """Only the uploader runs a failed job again; others get 404 (not theirs) or 403 (an administrator)."""
    path = url(name, pattern, None, targets)
    for role in ROLES:
        with transaction.atomic():
            ImportJob.objects.filter(pk=targets.job.pk).update(status=JobStatus.FAILED)
            response = clients[role].post(path)
            status = ImportJob.objects.get(pk=targets.job.pk).status
            transaction.set_rollback(True)
        where = f"{role} POST {name}"
        expected = {"anonymous": 302, "viewer": 404, "analyst": 404, "officer": 302, "administrator": 403}[
            role
        ]
        assert response.status_code == expected, where
        if role == "anonymous":
            assert "/login/" in response["Location"], where
        assert status == (JobStatus.DONE if role == "officer" else JobStatus.FAILED), where


def _iso(day) -> str:
    return day.isoformat()


# Each land action URL: the record it acts on (a key of Targets.land[side]), its model label, and
# the actions tried with what an officer would type (a function of the side's land records).
LAND_ACTIONS = {
    "land:application_action": ("land.application", "land.application", {
        "review": lambda d: dict.fromkeys(("jobs", "investment", "technology", "experience", "environment"), "60"),
        "approve": lambda d: {"day": _iso(LAND_DAY), "plots": "P-S"},
        "reject": lambda d: {"day": _iso(LAND_DAY), "reason": "ظرفیت تکمیل"},
        "withdraw": lambda d: {"day": _iso(LAND_DAY)},
    }),
    "land:application_sign": ("approved", "land.application", {
        None: lambda d: {"signed": _iso(LAND_DAY + dt.timedelta(days=10)), "discount_percent": "0"},
    }),
    "land:allocationcontract_action": ("land.allocationcontract", "land.allocationcontract", {
        "payment": lambda d: {"date": "2023-02-01", "amount_rials": "1000000", "reference": "R-1"},
        "extend": lambda d: {"granted": "2023-02-01", "new_deadline": "2026-06-01", "reason": "تأخیر برق"},
        "transfer": lambda d: {"to_holder": d["unit"].national_id, "date": "2023-02-01", "reason": ""},
        "terminate": lambda d: {"date": "2023-02-01", "reason": "عدم شروع ساخت"},
        "complete": lambda d: {"day": "2024-01-01"},
    }),
    "land:plot_action": ("land.plot", "land.plot", {
        "merge": lambda d: {"date": "2023-02-01", "others": "P-S", "code": "LEAF+S", "reason": "ادغام"},
        "split": lambda d: {"date": "2023-02-01", "parts": "LEAF-1 400\nLEAF-2 600", "reason": "تفکیک"},
    }),
    "land:workshoplease_action": ("land.workshoplease", "land.workshoplease", {
        "end": lambda d: {"day": "2024-06-01"},
    }),
    "land:workshoplease_add": (None, "land.workshoplease", {
        None: lambda d: {
            "estate": d["estate"].code, "workshop": "W-F", "tenant": d["unit"].national_id,
            "start": "2023-03-01", "monthly_rent_rials": "1000000",
        },
    }),
}  # fmt: skip


def run_land_action(*, name, pattern, label, targets, users, clients):
    """A named land action is one POST that only who may change the record carries out (an
    administrator; the officer of the record's province); every other role changes nothing. The
    pages before signing and leasing are for those writers only; an action URL has no GET."""
    key, label, tried = LAND_ACTIONS[name]
    for side in ("own", "other"):
        records = targets.land[side]
        obj = records[key] if key else None
        for action, data in tried.items():
            kwargs = {"pk": obj.pk} if obj is not None else {}
            if action is not None:
                kwargs["action"] = action
            path = reverse(name, kwargs=kwargs)
            for role in ROLES:
                allowed = may_write(role, label, side)
                where = f"{role} POST {name} {action or ''} ({side})"
                outcome = attempt(clients[role], "POST", path, data(records), api=False)
                check_write(outcome, allowed, role, api=False, where=where)
                if action is None and (obj is not None or side == "own"):
                    allowed = may_write(role, label, side if obj is not None else "own")
                    page = attempt(clients[role], "GET", path, api=False)
                    check_page_for_writers(page, allowed, role, f"{role} GET {name} ({side})")
                elif side == "own":
                    page = attempt(clients[role], "GET", path, api=False)
                    assert not page.changed and (
                        is_login_redirect(page) if role == "anonymous" else page.status == 405
                    ), f"{role} GET {name} {action}"
        if obj is not None and any(action is not None for action in tried):
            nosuch = reverse(name, kwargs={"pk": obj.pk, "action": "nosuch"})
            outcome = attempt(clients["administrator"], "POST", nosuch, {}, api=False)
            assert outcome.status == 403 and not outcome.changed, f"administrator POST {name} nosuch"


def run_scenario_save(*, name, pattern, label, targets, users, clients):
    """Saving a what-if scenario: POST only; analysts and administrators add one (with history),
    viewers and officers are refused (403) and the anonymous sent to sign in, changing nothing."""
    path = reverse(name)
    data = {"name": "Δ to Tehran", "year": "1401", "scope": "IR-23", "wi-delta": "1", "wi-unit": "billion_rial",
            "wi-mode": "chosen", "wi-county": "2301"}  # fmt: skip
    for role in ROLES:
        page = attempt(clients[role], "GET", path, api=False)
        assert not page.changed and (
            is_login_redirect(page) if role == "anonymous" else page.status == 405
        ), f"{role} GET {name}"
        outcome = attempt(clients[role], "POST", path, data, api=False)
        where = f"{role} POST {name}"
        if role in ("analyst", "administrator"):
            assert outcome.status == 302 and outcome.changed, where
            assert "/balance/?" in outcome.location, where
        elif role == "anonymous":
            assert is_login_redirect(outcome) and not outcome.changed, where
        else:
            assert outcome.status == 403 and not outcome.changed, where


NEEDS_RECORDS = {
    "record-read", "record-add", "record-edit", "record-delete", "record-restore", "api-list", "api-detail",
    "import-upload", "import-job", "import-confirm", "import-again", "public", "land-action", "public-form",
}  # fmt: skip

RUNS = {
    "public": run_public,
    "public-form": run_public_form,
    "probe": run_probe,
    "read": run_read,
    "return-read": run_return_read,
    "record-read": run_record_read,
    "staff": run_staff,
    "signout": run_signout,
    "preference": run_preference,
    "record-add": run_record_add,
    "record-edit": run_record_edit,
    "record-delete": run_record_delete,
    "record-restore": run_record_restore,
    "api-read": run_api_read,
    "api-token": run_api_token,
    "api-list": run_api_list,
    "api-detail": run_api_detail,
    "import-upload": run_import_upload,
    "import-job": run_import_job,
    "import-confirm": run_import_confirm,
    "import-again": run_import_again,
    "land-action": run_land_action,
    "scenario-save": run_scenario_save,
}


def test_every_kind_has_a_run():
    assert {kind for _regex, kind in MATRIX} == set(RUNS)


@pytest.mark.django_db
def test_reference_data_is_neither_added_nor_deleted_anywhere(client):
    """docs/roles.md: provinces and counties are reference data (`shahrak load_reference`); the
    API answers 405 to writes (API_READ_ONLY above), and the admin site, even for a superuser,
    offers neither adding nor deleting them."""
    from shahrak.accounts.models import User
    from shahrak.regions.models import Province

    root = User.objects.create_superuser("root-ref", "root@example.org", "pw-for-tests")
    client.force_login(root)
    build_world()  # loads the reference data
    county = County.objects.first()
    province = Province.objects.first()
    for model, obj in (("county", county), ("province", province)):
        assert client.get(f"/admin/regions/{model}/add/").status_code == 403
        assert client.post(f"/admin/regions/{model}/{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert County.objects.filter(pk=county.pk).exists() and Province.objects.filter(pk=province.pk).exists()
    api_client = APIClient()
    api_client.force_authenticate(root)
    assert api_client.post("/api/counties/", {"sci_code": "2399"}, format="json").status_code == 405
    assert api_client.delete(f"/api/counties/{county.pk}/").status_code == 405
