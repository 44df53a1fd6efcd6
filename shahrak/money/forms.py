from shahrak.ui.forms import RecordForm, record_formfield

from .models import ExchangeRate


class ExchangeRateForm(RecordForm):
    class Meta:
        model = ExchangeRate
        fields = ["date", "currency", "source", "rials_per_unit"]
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].widget.attrs["dir"] = "ltr"
