from django.utils.translation import gettext_lazy as _

from shahrak.ui.forms import RecordForm, record_formfield

from .models import ExchangeRate


class ExchangeRateForm(RecordForm):
    constraint_messages = {
        "rate_one_per_day": ("date", _("There is already a rate of this currency and source on this day.")),
        "rate_currency_iso4217": ("currency", _("Write the currency as a three-letter code such as USD.")),
    }

    class Meta:
        model = ExchangeRate
        fields = ["date", "currency", "source", "rials_per_unit"]
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].widget.attrs["dir"] = "ltr"
