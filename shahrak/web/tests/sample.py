"""A small, hand-countable set of records for the web tests (and for looking at the pages).

Year 1401 (21 March 2022 – 20 March 2023), nation, no filters, counted by hand:
  workshops opened 3 (W1, W2, W5; W4 opened in 1400; W3 is free); estates licensed 2 (WA-01, WA-02);
  estates in deprived areas 2 (WA-01, WA-02: West Azerbaijan is deprived); spending 43 billion rials
  (30 + 5 + 8; the 4 billion of 1400 is out); projects underway 2 (P1, P2; P3 completed in 1400),
  credit 70 billion; planned 2 billion; units revived 1 (U2, 7 jobs); units established 1 (U1);
  idle units at the end of 1401: 1 (U3, market).
"""

import datetime as dt
from decimal import Decimal

from shahrak.core.jalali import parse_jalali
from shahrak.core.validators import national_id_check_digit

BILLION = 10**9


def j(text: str) -> dt.date:
    return parse_jalali(text)


def national_id(first_ten: str) -> str:
    return first_ten + str(national_id_check_digit(first_ten))


def build_sample():
    from shahrak.estates.models import Estate, WorkshopUnit
    from shahrak.money.models import ExchangeRate
    from shahrak.projects.models import DevelopmentProject, Disbursement, PlannedDisbursement
    from shahrak.regions.models import County
    from shahrak.targets.models import Target
    from shahrak.units.models import IsicClass, ProductionUnit, UnitEvent

    tehran, urumia, piranshahr = (County.objects.get(sci_code=c) for c in ("2301", "0401", "0402"))
    th01 = Estate.objects.create(
        code="TH-01", name_fa="شهرک صنعتی شمس‌آباد", name_en="Shamsabad Industrial Park", kind="park",
        county=tehran, status="operational", licence_date=j("1395/05/01"), operational_date=j("1397/01/15"),
        gross_area_ha=Decimal("150"), industrial_area_ha=Decimal("100"), allocated_area_ha=Decimal("60"),
    )  # fmt: skip
    wa01 = Estate.objects.create(
        code="WA-01", name_fa="ناحیه صنعتی پیرانشهر", name_en="Piranshahr Industrial Zone", kind="zone",
        county=piranshahr, status="operational", licence_date=j("1401/03/10"), operational_date=j("1401/10/01"),
        gross_area_ha=Decimal("30"), industrial_area_ha=Decimal("20"), allocated_area_ha=Decimal("5"),
    )  # fmt: skip
    wa02 = Estate.objects.create(
        code="WA-02", name_fa="شهرک صنعتی ارومیه ۲", name_en="Urumia Industrial Park 2", kind="park",
        county=urumia, status="licensed", licence_date=j("1401/07/20"),
    )  # fmt: skip

    hi_tech, bakery = IsicClass.objects.get(code="2610"), IsicClass.objects.get(code="1071")
    u1 = ProductionUnit.objects.create(
        national_id=national_id("1010000001"), name="تراشه‌سازان پارس", estate=th01, county=tehran, isic=hi_tech,
        employees=12, knowledge_based_since=j("1401/04/01"),
    )  # fmt: skip
    u2 = ProductionUnit.objects.create(
        national_id=national_id("1010000002"), name="نان ماشینی پیرانشهر", estate=wa01, county=piranshahr,
        isic=bakery, employees=5,
    )  # fmt: skip
    u3 = ProductionUnit.objects.create(
        national_id=national_id("1010000003"), name="صنایع غذایی البرز", estate=th01, county=tehran, isic=bakery,
        employees=120,
    )  # fmt: skip
    events = [
        (u1, "1401/01/20", "established", None, None),
        (u2, "1399/05/01", "established", None, None),
        (u2, "1400/06/01", "idled", "finance", None),
        (u2, "1401/09/09", "revived", None, 7),
        (u3, "1398/01/10", "established", None, None),
        (u3, "1401/05/05", "idled", "market", None),
    ]
    for unit, day, kind, cause, jobs in events:
        UnitEvent.objects.create(unit=unit, date=j(day), kind=kind, cause=cause, jobs=jobs)

    workshops = [
        (th01, "W1", "1400/10/01", "1401/02/10", u1),
        (th01, "W2", "1401/03/01", "1401/08/05", None),
        (th01, "W3", "1400/12/01", None, None),
        (th01, "W4", "1400/09/01", "1400/11/01", None),
        (wa01, "W5", "1401/10/15", "1401/11/20", None),
    ]
    for estate, code, completed, opened, occupant in workshops:
        WorkshopUnit.objects.create(
            estate=estate, code=code, floor_area_m2=Decimal("500"), completed_date=j(completed),
            opened_date=j(opened) if opened else None, occupant=occupant,
        )  # fmt: skip

    p1 = DevelopmentProject.objects.create(
        code="P-TH-W1", estate=th01, title="تأمین آب شهرک شمس‌آباد", title_en="Water supply, Shamsabad", category="water",
        credit_rials=50 * BILLION, funding_source="internal", approved_date=j("1400/02/01"), start_date=j("1400/03/01"),
        physical_progress=Decimal("40"), status="underway",
    )  # fmt: skip
    p2 = DevelopmentProject.objects.create(
        code="P-WA-E1", estate=wa01, title="برق‌رسانی ناحیه پیرانشهر", title_en="Power line, Piranshahr",
        category="electricity", credit_rials=20 * BILLION, funding_source="provincial", approved_date=j("1401/01/15"),
        start_date=j("1401/02/01"), physical_progress=Decimal("25"), status="underway",
    )  # fmt: skip
    p3 = DevelopmentProject.objects.create(
        code="P-TH-G1", estate=th01, title="گازرسانی شهرک شمس‌آباد", title_en="Gas network, Shamsabad", category="gas",
        credit_rials=10 * BILLION, funding_source="internal", approved_date=j("1398/12/01"), start_date=j("1399/01/01"),
        actual_end_date=j("1400/12/15"), physical_progress=Decimal("100"), status="completed",
    )  # fmt: skip
    payments = [
        (p1, "1401/02/15", 30, "internal"),
        (p1, "1401/10/10", 5, "national_budget"),
        (p2, "1401/06/01", 8, "provincial"),
        (p3, "1400/12/10", 4, "internal"),
    ]
    for project, day, billions, source in payments:
        Disbursement.objects.create(
            project=project, date=j(day), amount_rials=billions * BILLION, funding_source=source
        )
    PlannedDisbursement.objects.create(project=p2, year=1401, month=12, amount_rials=2 * BILLION)
    ExchangeRate.objects.create(
        date=j("1400/12/01"), currency="USD", source="free_market", rials_per_unit=Decimal("400000")
    )

    year = (j("1401/01/01"), j("1401/12/29"))
    Target.objects.create(metric="workshops_opened", year=1401, start_date=year[0], end_date=year[1], value=4)
    Target.objects.create(metric="units_revived", year=1401, start_date=year[0], end_date=year[1], value=2)
    return {
        "th01": th01,
        "wa01": wa01,
        "wa02": wa02,
        "u1": u1,
        "u2": u2,
        "u3": u3,
        "p1": p1,
        "p2": p2,
        "p3": p3,
    }
