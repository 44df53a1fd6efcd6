from shahrak.ui.forms import RecordForm, record_formfield

from .models import Claim


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
