"""The shipped reference data against the checked 1395 census facts (shared/reference/README.md)."""

import pytest
from django.core.management import call_command
from django.db.models import Sum

from shahrak.estates.scope import parse_scope
from shahrak.regions.models import County, DeprivationBasis, Province, SizeClass
from shahrak.regions.scope import UnknownScope

pytestmark = pytest.mark.django_db


def test_31_provinces_and_429_counties_with_the_national_total():
    assert Province.objects.count() == 31
    assert County.objects.count() == 429
    assert Province.objects.aggregate(total=Sum("population"))["total"] == 79_926_270


def test_county_populations_add_up_to_each_province():
    for province in Province.objects.annotate(counties_total=Sum("counties__population")):
        assert province.counties_total == province.population, province.iso_code


@pytest.mark.parametrize(
    ("iso", "population"),
    [("IR-23", 13_267_637), ("IR-09", 6_434_501), ("IR-25", 1_292_283), ("IR-16", 580_158)],
)
def test_known_province_populations(iso, population):
    assert Province.objects.get(iso_code=iso).population == population


@pytest.mark.parametrize(
    ("code", "population"),
    [("2301", 8_737_510), ("0916", 3_372_660), ("0707", 1_869_001), ("1204", 501_402), ("2201", 7_402)],
)
def test_known_county_populations(code, population):
    assert County.objects.get(sci_code=code).population == population


def test_tehran_and_alborz_carry_the_post_2020_iso_codes():
    assert Province.objects.get(iso_code="IR-23").name_en == "Tehran"
    assert Province.objects.get(iso_code="IR-30").name_en == "Alborz"


def test_size_classes_follow_the_rule():
    metropolises = set(
        County.objects.filter(size_class=SizeClass.METROPOLIS).values_list("sci_code", flat=True)
    )
    assert metropolises == {"2301", "0916", "1002", "3001", "0707", "0303", "2501", "0603", "0502"}
    assert County.objects.filter(size_class=SizeClass.BIG).count() == 62
    assert not County.objects.filter(size_class=SizeClass.SMALL, population__gte=250_000).exists()


def test_deprivation_is_the_labelled_provisional_rule_until_imported():
    deprived = County.objects.deprived()
    assert set(deprived.values_list("province__iso_code", flat=True).distinct()) == {
        "IR-11", "IR-28", "IR-12", "IR-29", "IR-04", "IR-24",
    }  # fmt: skip
    assert deprived.count() == 75
    assert set(County.objects.values_list("deprivation_basis", flat=True).distinct()) == {
        DeprivationBasis.PROVISIONAL
    }


def test_loading_twice_changes_nothing():
    before = County.history.count()
    call_command("load_reference", verbosity=0)
    assert County.history.count() == before


def test_imported_decree_status_survives_reloading_the_reference(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(
        "sci_code,status,basis,source\n2301,partial,decree,Decree 76254 annex\n", encoding="utf-8"
    )
    call_command("import_deprivation", str(path), verbosity=0)
    call_command("load_reference", verbosity=0)
    tehran = County.objects.get(sci_code="2301")
    assert (tehran.deprivation, tehran.deprivation_basis, tehran.deprivation_source) == (
        "partial", "decree", "Decree 76254 annex",
    )  # fmt: skip


def test_bad_deprivation_file_names_row_and_column_and_changes_nothing(tmp_path):
    from django.core.management.base import CommandError

    path = tmp_path / "list.csv"
    path.write_text(
        "sci_code,status,basis,source\n2301,whole,decree,x\n9999,sometimes,decree,x\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"row 3, column sci_code.*row 3, column status"):
        call_command("import_deprivation", str(path), verbosity=0)
    assert County.objects.get(sci_code="2301").deprivation == "none"


def test_parse_scope():
    assert parse_scope("").is_nation
    assert parse_scope("ir-23").name_en == "Tehran"
    assert parse_scope("0916").level == "county"
    with pytest.raises(UnknownScope):
        parse_scope("IR-99")
    with pytest.raises(UnknownScope):
        parse_scope("NO-SUCH-ESTATE")
