from django import forms
from django.utils.translation import gettext_lazy as _

from shahrak.estates.models import Estate
from shahrak.regions.forms import CountyChoiceField, counties_for
from shahrak.ui.choices import CodeChoiceField, EstateChoiceField, writable
from shahrak.ui.forms import RecordForm, record_formfield

from .models import EventKind, IsicClass, ProductionUnit, UnitEvent


class ProductionUnitForm(RecordForm):
    estate = EstateChoiceField(queryset=None, required=False, label=_("estate"))
    county = CountyChoiceField(
        queryset=None,
        required=False,
        label=_("county"),
        help_text=_("Only for a unit outside estates; a unit in an estate is in its estate's county."),
    )
    isic = forms.ModelChoiceField(IsicClass.objects.all(), label=_("ISIC class"))

    class Meta:
        model = ProductionUnit
        fields = ["national_id", "name", "estate", "county", "isic", "knowledge_based_since", "employees"]
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = writable(Estate.objects.all(), self.user).order_by("code")
        self.fields["county"].queryset = counties_for(self.user)
        self.fields["national_id"].widget.attrs.update(
            {"dir": "ltr", "inputmode": "numeric", "maxlength": 11}
        )


class UnitEventForm(RecordForm):
    """One event of a unit's life: idled with its cause, revived with the jobs it restored."""

    unit = CodeChoiceField(
        ProductionUnit.objects.all(),
        to_field_name="national_id",
        label=_("unit (national ID)"),
        not_found=_("No production unit has the national ID %(value)s."),
    )

    class Meta:
        model = UnitEvent
        fields = ["unit", "kind", "date", "cause", "jobs"]
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = writable(ProductionUnit.objects.all(), self.user)
        self.fields["kind"].widget.attrs["data-event-kind"] = ""
        self.fields["cause"].widget.attrs["data-show-for"] = EventKind.IDLED
        self.fields["jobs"].widget.attrs["data-show-for"] = EventKind.REVIVED

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        # Cause and jobs belong to one kind each; values left in hidden boxes are dropped, not refused.
        if kind != EventKind.IDLED:
            data["cause"] = self.instance.cause = None
        elif not data.get("cause") and "cause" not in self.errors:
            self.add_error("cause", _("Give the cause of idling."))
        if kind != EventKind.REVIVED:
            data["jobs"] = self.instance.jobs = None
        elif data.get("jobs") is None and "jobs" not in self.errors:
            self.add_error("jobs", _("Give the jobs restored (0 if none)."))
        return data
