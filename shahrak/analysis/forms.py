from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shahrak.core.money import MAX_RIALS, UNITS
from shahrak.core.text import code_text, normalize
from shahrak.regions.models import County
from shahrak.regions.scope import NATION
from shahrak.ui.fields import LocalizedDecimalField
from shahrak.ui.format import DEFAULT_MONEY_UNIT, MONEY_UNITS, RIAL_UNITS, lang
from shahrak.ui.forms import RecordForm, record_formfield

from .choices import ScenarioMode
from .models import Claim


class CountyCodesField(forms.MultipleChoiceField):
    """County SCI codes; which codes are acceptable is the form's question (unknown, or outside the
    scope, each with its own message), not the choices'."""

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")


class ClaimForm(RecordForm):
    class Meta:
        model = Claim
        fields = [
            "code", "quote", "quote_language", "translation", "speaker", "outlet", "link", "published_on",
            "metric", "of_target", "period_start", "period_end", "period_basis", "scope", "estate_kind",
            "qualifier", "value", "unit", "usd_value", "tolerance", "note",
        ]  # fmt: skip
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("code", "link", "scope"):
            self.fields[name].widget.attrs["dir"] = "ltr"
        for name in ("quote", "translation", "note"):
            self.fields[name].widget.attrs["rows"] = 3


class WhatIfForm(forms.Form):
    """A what-if allocation on the regional-balance page (query-string keys wi-…): Δ in a money unit,
    spread by Shahrak or added to each chosen county of the scope."""

    delta = LocalizedDecimalField(label=_("Amount Δ"), max_digits=30, decimal_places=6)
    unit = forms.ChoiceField(label=_("Unit"), initial=DEFAULT_MONEY_UNIT)
    mode = forms.ChoiceField(label=_("How"), choices=ScenarioMode.choices, initial=ScenarioMode.SPREAD)
    county = CountyCodesField(label=_("Counties (for “add to each chosen county”)"), required=False)

    def __init__(self, *args, scope=NATION, counties=(), **kwargs):
        """`counties`: (SCI code, name) of the counties in the scope, offered as the choices."""
        kwargs.setdefault("prefix", "wi")
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["unit"].choices = [(unit, MONEY_UNITS[unit]) for unit in RIAL_UNITS]
        self.fields["county"].choices = list(counties)
        self.fields["delta"].widget.attrs.update({"class": "form-control form-control-sm", "dir": "ltr"})
        self.fields["unit"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["mode"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["county"].widget.attrs.update({"class": "form-select form-select-sm", "size": 4})

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta < 0:
            raise ValidationError(_("Δ cannot be negative."))
        return delta

    def clean_county(self):
        codes = [normalize(code) for code in self.cleaned_data.get("county") or []]
        in_scope = {code for code, _label in self.fields["county"].choices}
        known = set(County.objects.filter(sci_code__in=codes).values_list("sci_code", flat=True))
        errors = []
        for code in codes:
            if code not in known:
                errors.append(
                    ValidationError(
                        _("There is no county with the code %(code)s."), params={"code": code_text(code)}
                    )
                )
            elif code not in in_scope:
                errors.append(
                    ValidationError(
                        _("County %(code)s is outside the scope (%(scope)s)."),
                        params={"code": code_text(code), "scope": self.scope_name},
                    )
                )
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(codes))

    @property
    def scope_name(self) -> str:
        return self.scope.name_fa if lang() == "fa" else self.scope.name_en

    def clean(self):
        data = super().clean()
        if "delta" in data and "unit" in data:
            rials = data["delta"] * UNITS[data["unit"]][0]
            if rials != rials.to_integral_value():
                self.add_error("delta", _("Δ must be a whole number of rials."))
            elif rials > MAX_RIALS:
                self.add_error("delta", _("Δ is too large."))
            else:
                data["delta_rials"] = int(rials)
        if data.get("mode") == ScenarioMode.CHOSEN and "county" in data and not data["county"]:
            self.add_error("county", _("Choose at least one county to add Δ to."))
        return data


class ScenarioSaveForm(forms.Form):
    name = forms.CharField(label=_("Name of the scenario"), max_length=200)
    year = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    scope = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = "form-control form-control-sm"
