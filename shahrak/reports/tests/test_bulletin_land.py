"""The bulletin's land sentence: land allocated in the period and contracts past their
construction deadline at its end, from the engine's land_allocated and stalled_contracts.

Added to the hand-built world (Qazvin, IR-26), nine months of 1401 (1401-01-01 … 1401-09-30):
contract  estate        m²       signed      deadline (24 months)   in the sentence
C1        QZ-P1 (2603)  10,000   1401-02-01  1403-02-01             allocated
C2        QZ-Z2 (2604)   5,000   1401-08-15  1403-08-15             allocated
C3        QZ-P1 (2603)  20,000   1399-01-05  1401-01-05             past its deadline on 1401-09-30
C4        QZ-P1 (2603)   2,000   1399-03-01  1401-03-01, extended on 1401-02-20 to 1402-03-01: neither
C5        QZ-P1 (2603)   3,000   1401-10-05  (after the nine months): neither
Allocated: 2 contracts, 15,000 m² = 1.5 ha. Past the deadline: 1 (C3).
"""

import pytest

from shahrak.core.jalali import months_of_year
from shahrak.estates.scope import parse_scope
from shahrak.land import actions
from shahrak.land.tests.fixtures import make_application, make_plot
from shahrak.metrics.engine import compute
from shahrak.metrics.tests.conftest import j
from shahrak.reports.bulletin import build_bulletin

pytestmark = pytest.mark.django_db


def contract(estate, actor, area, signed):
    application = make_application(estate, actor, day=j(signed))
    actions.approve(application, [make_plot(estate, area=area, price=1_000_000)], day=j(signed), actor=actor)
    return actions.sign_contract(application, signed=j(signed), actor=actor)


@pytest.fixture
def land(world, admin_user):
    contract(world.e1, admin_user, 10_000, "1401-02-01")
    contract(world.e3, admin_user, 5_000, "1401-08-15")
    contract(world.e1, admin_user, 20_000, "1399-01-05")
    c4 = contract(world.e1, admin_user, 2_000, "1399-03-01")
    actions.extend(
        c4, new_deadline=j("1402-03-01"), reason="تأخیر برق", granted=j("1401-02-20"), actor=admin_user
    )
    contract(world.e1, admin_user, 3_000, "1401-10-05")
    return world


def land_paragraph(bulletin, start):
    return next(p for p in bulletin.paragraphs if p.startswith(start))


def test_the_land_sentence_gives_the_engines_numbers(land):
    qazvin = parse_scope("IR-26")
    nine = months_of_year(1401, 1, 9)
    allocated, stalled = (
        compute("land_allocated", nine, qazvin).value,
        compute("stalled_contracts", nine, qazvin).value,
    )
    assert (allocated["count"], str(allocated["hectares"]), stalled["count"]) == (2, "1.5000", 1)

    english = build_bulletin(1401, 9, "en", qazvin)
    assert land_paragraph(english, "In the first nine months") == (
        "In the first nine months of the Iranian year 1401, 1.5 hectares were allocated in 2 contracts; "
        "on 30 Azar 1401, 1 contract was past its construction deadline."
    )
    persian = build_bulletin(1401, 9, "fa", qazvin)
    assert land_paragraph(persian, "در نه ماه نخست سال ۱۴۰۱، ۱٫۵ هکتار") == (
        "در نه ماه نخست سال ۱۴۰۱، ۱٫۵ هکتار زمین در قالب ۲ قرارداد واگذار شد و در ۳۰ آذر ۱۴۰۱، "
        "مهلت ساخت ۱ قرارداد گذشته بود."
    )
    # The paragraph follows the estates' and comes before the idle units'.
    index = english.paragraphs.index(land_paragraph(english, "In the first nine months"))
    assert english.paragraphs[index - 1].startswith("Licences were issued")
    assert english.paragraphs[index + 1].startswith("On 30 Azar 1401, 1 production unit was idle")


def test_the_whole_year_counts_the_contract_signed_after_nine_months(land):
    text = land_paragraph(build_bulletin(1401, 12, "en", parse_scope("IR-26")), "In the Iranian year 1401")
    # C5 adds 0.3 ha; on 29 Esfand 1401 C3 is still past its deadline and C4's (1402-03-01) is not.
    assert text.startswith("In the Iranian year 1401, 1.8 hectares were allocated in 3 contracts; ")
    assert text.endswith("1 contract was past its construction deadline.")


def test_no_land_sentence_without_contracts(world):
    bulletin = build_bulletin(1401, 9, "en", parse_scope("IR-26"))
    assert not any("hectares were allocated" in p for p in bulletin.paragraphs)
