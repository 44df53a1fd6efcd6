from django.utils.translation import gettext_lazy as _

from shahrak.regions.forms import CountyChoiceField, counties_for
from shahrak.ui.choices import CodeChoiceField, EstateChoiceField, writable
from shahrak.ui.forms import RecordForm, record_formfield

from .models import Estate, WorkshopUnit


class EstateForm(RecordForm):
    county = CountyChoiceField(queryset=None, label=_("county"))

    class Meta:
        model = Estate
        fields = [
            "code", "name_fa", "name_en", "kind", "county", "status", "licence_date", "operational_date",
            "gross_area_ha", "industrial_area_ha", "allocated_area_ha", "latitude", "longitude",
            "contact_phone", "office_address",
        ]  # fmt: skip
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties_for(self.user)
        self.fields["name_fa"].widget.attrs["dir"] = "rtl"
        for name in ("code", "name_en", "contact_phone"):
            self.fields[name].widget.attrs["dir"] = "ltr"


class WorkshopUnitForm(RecordForm):
    estate = EstateChoiceField(queryset=None, label=_("estate"))
    occupant = CodeChoiceField(
        # The occupant's model, followed from the foreign key: the units app sits above this one.
        WorkshopUnit._meta.get_field("occupant").related_model.objects.all(),
        to_field_name="national_id",
        required=False,
        label=_("occupant (national ID)"),
        not_found=_("No production unit has the national ID %(value)s."),
    )

    class Meta:
        model = WorkshopUnit
        fields = [
            "estate", "code", "floor_area_m2", "planned_date", "construction_started", "completed_date",
            "opened_date", "occupant",
        ]  # fmt: skip
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = writable(Estate.objects.all(), self.user).order_by("code")
        self.fields["code"].widget.attrs["dir"] = "ltr"
