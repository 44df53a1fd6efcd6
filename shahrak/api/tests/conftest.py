"""Records the API tests share: a small land world (issue 13)."""

import datetime as dt

import pytest

from shahrak.land import actions
from shahrak.land.models import Programme, ProgrammeMember
from shahrak.land.tests.fixtures import make_application, make_plot, signed
from tests.factories import make_estate, make_unit, make_workshop

DAY = dt.date(2022, 4, 1)


@pytest.fixture
def land(admin_user):
    """Tehran (IR-23): a free plot, a submitted application, a contract with a payment, a lease, a
    programme of one workshop. Isfahan (IR-10): a contract of its own and a submitted application."""
    tehran, isfahan = make_estate("2301", code="TH-L"), make_estate("1002", code="IS-L")
    free = make_plot(tehran, code="FREE", serviced=False)
    asked = make_application(tehran, admin_user, day=DAY, phone="09121234567")
    asked.requested_plots.set([free])
    contract = signed(tehran, admin_user, [make_plot(tehran, code="HELD")], day=DAY)
    actions.record_payment(contract, date=DAY, amount_rials=1_000_000, reference="PAY-T1", actor=admin_user)
    other_contract = signed(isfahan, admin_user, [make_plot(isfahan, code="IS-HELD")], day=DAY)
    other_asked = make_application(isfahan, admin_user, day=DAY, phone="03131234567")
    # Isfahan's contract: its deadline extended by 180 days a month after signing, then transferred.
    extension = actions.extend(
        other_contract, new_deadline=other_contract.construction_deadline + dt.timedelta(days=180),
        reason="تأخیر برق", granted=DAY + dt.timedelta(days=30), actor=admin_user,
    )  # fmt: skip
    transfer = actions.transfer(
        other_contract, make_unit(isfahan), date=DAY + dt.timedelta(days=40), reason="فروش", actor=admin_user
    )
    workshop = make_workshop(tehran, code="W-1", completed_date=DAY - dt.timedelta(days=10))
    lease = actions.lease_workshop(
        workshop, make_unit(tehran), start=DAY, end=None, monthly_rent_rials=5_000_000, actor=admin_user
    )
    programme = Programme.objects.create(code="P-API", name_fa="طرح آزمایشی", target=10)
    ProgrammeMember.objects.create(programme=programme, workshop=workshop)
    return {
        "tehran": tehran, "isfahan": isfahan, "free": free, "asked": asked, "contract": contract,
        "other_contract": other_contract, "other_asked": other_asked, "lease": lease, "programme": programme,
        "extension": extension, "transfer": transfer, "workshop": workshop,
    }  # fmt: skip
