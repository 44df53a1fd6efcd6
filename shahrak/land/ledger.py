"""A contract's account: what was due, what was paid, the arrears on a day (the same rule as the
figure `land_collection`: arrears at D = Σ due on or before D − Σ paid on or before D)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum


@dataclass
class ScheduleRow:
    number: int
    due_date: dt.date
    amount_rials: int
    covered_rials: int  # paid towards it, payments applied to the oldest instalment first

    @property
    def settled(self) -> bool:
        return self.covered_rials >= self.amount_rials


@dataclass
class Ledger:
    rows: list[ScheduleRow]
    due_rials: int  # due on or before the day
    paid_rials: int  # paid on or before the day
    total_rials: int

    @property
    def arrears_rials(self) -> int:
        return self.due_rials - self.paid_rials


def contract_ledger(contract, day: dt.date) -> Ledger:
    instalments = list(contract.instalments.order_by("number"))
    paid = contract.payments.filter(date__lte=day).aggregate(total=Sum("amount_rials"))["total"] or 0
    rows, left = [], paid
    for instalment in instalments:
        covered = min(left, instalment.amount_rials)
        left -= covered
        rows.append(ScheduleRow(instalment.number, instalment.due_date, instalment.amount_rials, covered))
    due = sum(i.amount_rials for i in instalments if i.due_date <= day)
    return Ledger(rows, due, paid, sum(i.amount_rials for i in instalments))
