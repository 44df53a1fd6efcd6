"""The investor's side without an account (issue 13, item 3): the catalogue's free plots and
workshops, the public application form, its tracking code and status page, and the form's abuse
protection (rate limit per address, honeypot, size limits, Persian errors)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from shahrak.land import actions
from shahrak.land.models import TRACKING_ALPHABET, Application, ApplicationStatus, Channel, tracking_hash
from shahrak.land.tests.fixtures import make_application, make_plot
from shahrak.land.validators import national_code_check_digit
from tests.factories import make_estate, make_unit, make_workshop, national_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_limits():
    """The rate limit's counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def natural_code(first_nine="001234567") -> str:
    return first_nine + str(national_code_check_digit(first_nine))


@pytest.fixture
def estate(db):
    return make_estate(code="TH-77", name_fa="شهرک صنعتی آزمون")


def apply_data(plot, **fields):
    data = {
        "applicant_kind": "natural", "applicant_id": natural_code(), "name": "رضا احمدی",
        "phone": "۰۹۱۲۱۲۳۴۵۶۷", "licence_number": "123/45", "licence_date": "1401/05/01",
        "requested_area_m2": "۱۲۰۰", "plots": [plot.pk], "website": "",
    }  # fmt: skip
    data.update(fields)
    return data


def apply_url(estate):
    return reverse("web:catalogue_apply", args=[estate.code])


def test_the_estate_page_lists_free_plots_with_area_use_utilities_and_price_class(estate, client, admin_user):
    free = make_plot(estate, code="F-1", area=2500, price=3_000_000)
    make_plot(estate, code="F-2", serviced=False, price=20_000_000)
    held = make_plot(estate, code="H-1")
    application = make_application(estate, admin_user)
    actions.approve(application, [held], day=timezone.localdate(), actor=admin_user)
    page = client.get(reverse("web:catalogue_estate", args=[estate.code])).content.decode()
    rows = page.split('data-testid="plot-row"')[1:]
    assert len(rows) == 2  # the reserved plot is not free
    assert "F-1" in rows[0] and "۲٬۵۰۰" in rows[0] and "صنعتی" in rows[0] and "مخابرات" in rows[0]
    assert "اقتصادی" in rows[0]  # 3,000,000 rials/m² is below the first bound
    assert "F-2" in rows[1] and "گران" in rows[1] and "گاز" not in rows[1]
    assert "H-1" not in page
    assert "3٬000٬000" not in page and "۳٬۰۰۰٬۰۰۰" not in page  # the price itself is not published
    assert f'href="{apply_url(estate)}?plot={free.pk}"' in page


def test_the_catalogue_counts_free_plots_and_free_workshops_from_leases(estate, client, admin_user):
    make_plot(estate, serviced=False)  # free, but not serviced: no free serviced land
    leased = make_workshop(estate, code="W-L", completed_date=dt.date(2022, 1, 1))
    make_workshop(estate, code="W-F", completed_date=dt.date(2022, 1, 1))
    ended = make_workshop(estate, code="W-E", completed_date=dt.date(2022, 1, 1))
    tenant = make_unit(estate)
    actions.lease_workshop(
        leased, tenant, start=dt.date(2023, 1, 1), monthly_rent_rials=10**6, actor=admin_user
    )
    actions.lease_workshop(
        ended,
        tenant,
        start=dt.date(2023, 1, 1),
        end=dt.date(2023, 6, 1),
        monthly_rent_rials=10**6,
        actor=admin_user,
    )
    listed = {e.code: e for e in client.get(reverse("web:catalogue")).context["page"]}
    assert listed["TH-77"].free_plots == 1
    assert listed["TH-77"].free_workshops == 2  # W-F never leased, W-E whose lease has ended
    page = client.get(reverse("web:catalogue_estate", args=[estate.code])).content.decode()
    assert "W-F" in page and "W-E" in page and "W-L" not in page
    # The officer's estate page counts free workshops by the same rule (WorkshopQuerySet.free_on).
    client.force_login(admin_user)
    officer_page = client.get(reverse("estates:estate", args=[estate.pk]))
    assert officer_page.context["free_workshops"] == 2


def test_apply_gives_a_tracking_code_and_the_status_page_shows_submitted(estate, client):
    plot = make_plot(estate, code="A-1")
    response = client.post(apply_url(estate), apply_data(plot))
    assert response.status_code == 302
    application = Application.objects.get()
    code = response["Location"].split("/")[-2]  # shown once, in the address of the status page
    assert response["Location"] == reverse("web:application_status", args=[code]) + "?new=1"
    assert application.tracking_hash == tracking_hash(code) and application.tracking_code is None
    assert application.channel == Channel.ONLINE and application.status == ApplicationStatus.SUBMITTED
    assert application.applied_date == timezone.localdate()
    assert application.phone == "09121234567" and application.requested_area_m2 == 1200
    assert list(application.requested_plots.all()) == [plot]
    # 28 characters of base32 (140 random bits) in groups of four; stored only as its SHA-256.
    groups = code.split("-")
    assert [len(g) for g in groups] == [4] * 7 and set("".join(groups)) <= set(TRACKING_ALPHABET)
    assert code not in str(list(Application.objects.values_list())) and code not in str(
        list(application.history.values_list())
    )
    history = application.history.get()
    assert history.history_user is None and history.history_change_reason == "درخواست برخط ثبت شد"
    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200 and 'data-status="submitted"' in text and "ثبت‌شده" in text
    assert code in text and "A-1" in text and "رضا احمدی" in text
    assert application.applicant_id not in text and "09121234567" not in text  # nothing more personal
    assert "no-store" in page["Cache-Control"]


def test_the_lookup_form_finds_the_application_by_its_code_in_any_digits(estate, client, admin_user):
    application = make_application(estate, admin_user)
    code = application.tracking_code.lower()
    found = client.get(reverse("web:application_lookup"), {"code": f" {code} "})
    assert found.status_code == 302 and found["Location"].endswith(f"/{application.tracking_code}/")
    # In groups or not, as it is shown: the same application.
    plain = application.tracking_code.replace("-", "")
    found = client.get(reverse("web:application_lookup"), {"code": plain})
    assert found.status_code == 302
    missing = client.get(reverse("web:application_lookup"), {"code": "0123456789ABCDEF"})
    assert missing.status_code == 404 and "هیچ درخواستی" in missing.content.decode()
    assert client.get(reverse("web:application_status", args=["0123456789ABCDEF"])).status_code == 404


def test_an_officers_approval_and_rejection_show_on_the_status_page(estate, client, admin_user):
    plot = make_plot(estate)
    sent = [client.post(apply_url(estate), apply_data(plot))]
    other_plot = make_plot(estate)
    sent.append(client.post(
        apply_url(estate), apply_data(other_plot, name="مریم کاظمی", applicant_id=natural_code("004567891"))
    ))  # fmt: skip
    first, second = Application.objects.order_by("pk")
    first.tracking_code, second.tracking_code = (r["Location"].split("/")[-2] for r in sent)
    day = timezone.localdate()
    actions.review(first, {"jobs": 80}, actor=admin_user)
    page = client.get(reverse("web:application_status", args=[first.tracking_code])).content.decode()
    assert 'data-status="under_review"' in page
    actions.approve(first, [plot], day=day, actor=admin_user)
    page = client.get(reverse("web:application_status", args=[first.tracking_code])).content.decode()
    assert 'data-status="approved"' in page and "تأییدشده" in page and 'data-testid="reserved-until"' in page
    assert "مریم کاظمی" not in page  # no other applicant's data
    actions.reject(second, "ظرفیت تکمیل است", day=day, actor=admin_user)
    page = client.get(reverse("web:application_status", args=[second.tracking_code])).content.decode()
    assert 'data-status="rejected"' in page and "ظرفیت تکمیل است" in page and "رضا احمدی" not in page


def test_an_invalid_national_code_is_refused_in_persian(estate, client):
    plot = make_plot(estate)
    wrong = natural_code()[:-1] + str((int(natural_code()[-1]) + 1) % 10)
    response = client.post(apply_url(estate), apply_data(plot, applicant_id=wrong))
    assert response.status_code == 200 and not Application.objects.exists()
    errors = response.context["form"].errors["applicant_id"]
    assert errors == ["رقم کنترل این کد ملی نادرست است."]
    response = client.post(apply_url(estate), apply_data(plot, applicant_kind="legal", applicant_id="123"))
    assert response.status_code == 200 and not Application.objects.exists()
    assert 'data-testid="error-applicant_id"' in response.content.decode()


def test_a_legal_person_applies_with_the_national_legal_id(estate, client):
    plot = make_plot(estate)
    response = client.post(
        apply_url(estate), apply_data(plot, applicant_kind="legal", applicant_id=national_id(42))
    )
    assert response.status_code == 302 and Application.objects.get().applicant_kind == "legal"


def test_text_fields_have_size_limits_and_a_large_body_is_refused(estate, client):
    plot = make_plot(estate)
    response = client.post(apply_url(estate), apply_data(plot, name="ا" * 251))
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert not Application.objects.exists()
    assert 'maxlength="250"' in client.get(apply_url(estate)).content.decode()
    huge = client.post(apply_url(estate), apply_data(plot, website="", licence_number="x" * 30_000))
    assert huge.status_code == 413 and not Application.objects.exists()


def test_a_filled_honeypot_is_refused_with_a_generic_message_and_nothing_written(estate, client):
    plot = make_plot(estate)
    response = client.post(apply_url(estate), apply_data(plot, website="http://spam.example"))
    assert response.status_code == 400 and not Application.objects.exists()
    text = response.content.decode()
    assert "درخواست پذیرفته نشد" in text and "website" not in response.context.get("message", "")


def test_the_rate_limit_answers_429_in_persian_after_the_limit(estate, client, settings):
    settings.SHAHRAK = {**settings.SHAHRAK, "PUBLIC_FORM_POSTS": 3}
    plot = make_plot(estate)
    statuses = [client.post(apply_url(estate), {"name": "x"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.post(apply_url(estate), apply_data(plot))
    assert refused.status_code == 429 and not Application.objects.exists()
    assert "دفعات زیادی" in refused.content.decode()
    # Another address has its own count.
    other = client.post(apply_url(estate), apply_data(plot), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_a_plot_not_free_cannot_be_applied_for(estate, client, admin_user):
    held = make_plot(estate, code="H-1")
    make_plot(estate, code="F-1")
    application = make_application(estate, admin_user)
    actions.approve(application, [held], day=timezone.localdate(), actor=admin_user)
    response = client.post(apply_url(estate), apply_data(held))
    assert response.status_code == 200 and Application.objects.count() == 1
    assert "plots" in response.context["form"].errors  # not offered: not a valid choice
    assert "H-1" not in client.get(apply_url(estate)).content.decode()
    # The action refuses it too, whatever form calls it.
    with pytest.raises(Exception, match="آزاد نیست"):
        actions.submit_online(
            Application(estate=estate, applicant_kind="natural", applicant_id=natural_code(), name="x",
                        requested_area_m2=10),
            [held], day=timezone.localdate(),
        )  # fmt: skip


def test_a_plot_of_another_estate_is_not_offered(estate, client):
    elsewhere = make_plot(make_estate(code="TH-78"))
    response = client.post(apply_url(estate), apply_data(elsewhere))
    assert response.status_code == 200 and not Application.objects.exists()


def test_an_estate_without_free_plots_says_so(estate, client):
    page = client.get(apply_url(estate)).content.decode()
    assert 'data-testid="no-free-plot"' in page and 'data-testid="apply-form"' not in page


def test_the_public_write_path_adds_only_new_applications(estate, admin_user):
    from django.core.exceptions import PermissionDenied

    from shahrak.estates.models import WorkshopUnit
    from shahrak.records.actions import save_public_record

    with pytest.raises(PermissionDenied):
        save_public_record(WorkshopUnit(estate=estate, code="W", floor_area_m2=1))
    stored = make_application(estate, admin_user)
    stored.name = "changed"
    with pytest.raises(PermissionDenied):
        save_public_record(stored)
    assert Application.objects.get().name != "changed"


def test_a_code_issued_before_as_16_hexadecimal_characters_is_still_followed(estate, client, admin_user):
    """The data migration (land 0004) stored the hash of every code issued before; the code is
    looked up the same way, in any case."""
    application = make_application(estate, admin_user)
    application.tracking_code = "9F3A0C1B2D4E5F60"
    application.save(update_fields=["tracking_hash"])
    page = client.get(reverse("web:application_status", args=["9f3a0c1b2d4e5f60"]))
    assert page.status_code == 200 and "9F3A0C1B2D4E5F60" in page.content.decode()
    assert client.get(reverse("web:application_status", args=["9F3A0C1B2D4E5F61"])).status_code == 404
