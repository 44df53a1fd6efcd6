from shahrak.ui.forms import RecordForm, record_formfield

from .models import County


class CountyForm(RecordForm):
    class Meta:
        model = County
        fields = [
            "sci_code", "province", "name_fa", "name_en", "population", "urban_population", "deprivation", "deprivation_basis",
            "deprivation_source", "size_class",
        ]  # fmt: skip
        formfield_callback = record_formfield
