"""The period picker of the dashboard, figure and drill-down pages."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.collation import by_name
from shahrak.core.forms import JalaliDateField
from shahrak.estates.models import EstateKind
from shahrak.estates.scope import parse_scope
from shahrak.regions.models import Province
from shahrak.regions.scope import UnknownScope
from shahrak.ui.fields import LocalizedIntegerField
from shahrak.ui.format import lang as _lang

PERIOD_KINDS = [
    ("year", _("Iranian year")),
    ("months", _("Months of a year")),
    ("past", _("The past N months")),
    ("range", _("From … to …")),
]


class PeriodForm(forms.Form):
    """The period, scope and filters of a dashboard, figure or drill-down; all are in the query string."""

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, required=False)
    year = LocalizedIntegerField(
        label=_("Year"), required=False, min_value=jalali.FIRST_YEAR, max_value=jalali.LAST_YEAR
    )
    m1 = forms.TypedChoiceField(label=_("From month"), coerce=int, required=False)
    m2 = forms.TypedChoiceField(label=_("To month"), coerce=int, required=False)
    past = LocalizedIntegerField(label=_("Months"), required=False, min_value=1, max_value=120)
    start = JalaliDateField(label=_("From"), required=False)
    end = JalaliDateField(label=_("To"), required=False)
    scope = forms.ChoiceField(label=_("Scope"), required=False)
    kind = forms.ChoiceField(label=_("Estate kind"), required=False)
    deprived = forms.BooleanField(label=_("Deprived counties only"), required=False)

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.default_year = jalali.default_year(self.today)
        months = [(i, name) for i, name in enumerate(self.month_names(), start=1)]
        self.fields["m1"].choices = months
        self.fields["m2"].choices = months
        self.fields["scope"].choices = [("", _("Iran (nation)"))] + [
            (p.iso_code, p.name) for p in by_name(Province.objects.all())
        ]
        # Any scope the engine takes (nation, province, county, estate): a county's or an estate's
        # page links here, so its code is offered as a choice beside the provinces.
        self.requested_scope = self._requested_scope()
        if self.requested_scope is not None and self.requested_scope.level in ("county", "estate"):
            name = self.requested_scope.name_fa if _lang() == "fa" else self.requested_scope.name_en
            self.fields["scope"].choices = [*self.fields["scope"].choices, (self.requested_scope.code, name)]
        self.fields["kind"].choices = [("", _("All kinds"))] + list(EstateKind.choices)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            else:
                css = (
                    "form-select form-select-sm"
                    if isinstance(field.widget, forms.Select)
                    else "form-control form-control-sm"
                )
                field.widget.attrs["class"] = css
            field.widget.attrs["id"] = f"id_period_{name}"

    def _requested_scope(self):
        code = (self.data.get("scope") or "") if self.is_bound else ""
        try:
            return parse_scope(code)
        except UnknownScope:
            return None

    def clean_scope(self):
        try:
            return parse_scope(self.cleaned_data.get("scope") or "")
        except UnknownScope as error:
            raise ValidationError(str(error)) from None

    @staticmethod
    def month_names():
        return jalali.MONTHS_FA if _lang() == "fa" else jalali.MONTHS_EN

    def clean(self):
        data = super().clean()
        kind = data.get("period") or "year"
        data["period"] = kind
        year = data.get("year") or self.default_year
        data["year"] = year
        try:
            if kind == "year":
                data["period_value"] = jalali.parse_period(year=year)
            elif kind == "months":
                first, last = data.get("m1") or 1, data.get("m2") or 12
                if first > last:
                    raise ValidationError({"m2": _("The last month comes before the first.")})
                data["period_value"] = jalali.months_of_year(jalali.check_year(year), first, last)
            elif kind == "past":
                data["period_value"] = jalali.past_months(data.get("past") or 12, self.today)
            else:
                if not data.get("start") or not data.get("end"):
                    raise ValidationError({"end": _("Give both the first and the last day.")})
                data["period_value"] = jalali.parse_period(start=data["start"], end=data["end"])
        except jalali.InvalidDate as error:
            # The message quotes typed text: a parameter, never the format string itself.
            raise ValidationError(
                {"end": ValidationError("%(reason)s", params={"reason": str(error)})}
            ) from None
        return data
