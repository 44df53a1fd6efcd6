"""Forms of the web pages: the base of every record form, and the dashboard's period picker."""

import datetime as dt

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.core.collation import by_name
from shahrak.core.constraints import constraint_fields
from shahrak.core.forms import (
    CODE_FIELD_NAMES,
    CodeCharField,
    JalaliDateField,
    NormalizedCharField,
    RialField,
)
from shahrak.records.actions import save_record

from .fields import LocalizedDecimalField, LocalizedIntegerField


def record_formfield(db_field, **kwargs):
    """Form fields that read what Iranian users type: Solar Hijri dates, Persian digits, rials."""
    common = {"required": not db_field.blank, "label": db_field.verbose_name, "help_text": db_field.help_text}
    if db_field.choices or db_field.is_relation:
        return db_field.formfield(**kwargs)
    if isinstance(db_field, models.DateField):
        return JalaliDateField(**common)
    if isinstance(db_field, models.BigIntegerField) and db_field.name.endswith("_rials"):
        return RialField(**common)
    if isinstance(db_field, models.DecimalField):
        return LocalizedDecimalField(
            max_digits=db_field.max_digits, decimal_places=db_field.decimal_places, **common
        )
    if isinstance(db_field, models.IntegerField):
        return LocalizedIntegerField(**common)
    if isinstance(db_field, models.CharField):
        text_field = CodeCharField if db_field.name in CODE_FIELD_NAMES else NormalizedCharField
        return db_field.formfield(form_class=text_field, **kwargs)
    return db_field.formfield(**kwargs)


class RecordForm(forms.ModelForm):
    """A record's form. It validates like the model, showing a broken database rule's own message
    (the constraint's violation_error_message) on the field it is about, and saves through the one
    write path, so the user's role and province are checked there."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            field.widget.attrs.setdefault("class", css)

    def validate_constraints(self):
        exclude = self._get_validation_exclusions()
        model = type(self.instance)
        for constraint in model._meta.constraints:
            try:
                constraint.validate(model, self.instance, exclude=exclude)
            except ValidationError as error:
                field = next((f for f in constraint_fields(model, constraint) if f in self.fields), None)
                self._update_errors(ValidationError({field or NON_FIELD_ERRORS: error.messages}))

    def save_record(self, actor):
        """Save through the write path; on a refusal, put its message on the form and return None."""
        instance = self.save(commit=False)
        try:
            return self.write(instance, actor)
        except ValidationError as error:
            self._update_errors(error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return None

    def write(self, instance, actor):
        return save_record(instance, actor=actor)


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
        from shahrak.estates.models import EstateKind
        from shahrak.regions.models import Province

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
        from shahrak.regions.scope import UnknownScope, parse_scope

        code = (self.data.get("scope") or "") if self.is_bound else ""
        try:
            return parse_scope(code)
        except UnknownScope:
            return None

    def clean_scope(self):
        from shahrak.regions.scope import UnknownScope, parse_scope

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


def _lang():
    from .format import lang

    return lang()
