from django import forms

from shahrak.accounts.scope import is_admin
from shahrak.core.collation import persian_order
from shahrak.ui.forms import RecordForm, record_formfield

from .models import County


def counties_for(user):
    counties = County.objects.select_related("province").order_by(
        "province__sci_code", persian_order("name_fa")
    )
    if user is not None and not is_admin(user) and user.province_id:
        counties = counties.filter(province_id=user.province_id)
    return counties


class CountyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.province.name} — {obj.name}"


class CountyForm(RecordForm):
    class Meta:
        model = County
        fields = [
            "sci_code", "province", "name_fa", "name_en", "population", "urban_population", "deprivation", "deprivation_basis",
            "deprivation_source", "size_class",
        ]  # fmt: skip
        formfield_callback = record_formfield
