from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shahrak.estates.models import Estate
from shahrak.ui.choices import CodeChoiceField, CountyChoiceField, EstateChoiceField, counties_for, writable
from shahrak.ui.forms import RecordForm, record_formfield

from .actions import save_event, validate_event_sequence
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
        self.fields["national_id"].widget.attrs.update({"dir": "ltr", "inputmode": "numeric", "maxlength": 11})

    def clean(self):
        data = super().clean()
        estate, county = data.get("estate"), data.get("county")
        if estate is not None:
            self.instance.estate = estate
            self.instance.place_in_estate_county()
            data["county"] = self.instance.county
        elif county is None and "county" not in self.errors:
            self.add_error("county", _("Choose the county of a unit outside estates."))
        return data


class UnitEventForm(RecordForm):
    """One event of a unit's life: idled with its cause, revived with the jobs it restored."""

    unit = CodeChoiceField(
        ProductionUnit.objects.all(),
        to_field_name="national_id",
        label=_("unit (national ID)"),
        not_found=_("No production unit has the national ID %(value)s."),
    )

    constraint_messages = {
        "event_one_per_unit_per_day": ("date", _("This unit already has an event on this day.")),
        "event_one_establishment_per_unit": ("kind", _("This unit already has an establishment event.")),
        "event_cause_only_and_always_when_idled": ("cause", _("Give the cause when a unit is idled.")),
        "event_jobs_only_and_always_when_revived": ("jobs", _("Give the jobs restored when a unit is revived.")),
    }

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

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                validate_event_sequence(self.instance)
            except ValidationError as error:
                self._update_errors(error)

    def write(self, instance, actor):
        return save_event(instance, actor=actor)
