from django.utils.translation import gettext_lazy as _

from shahrak.ui.forms import RecordForm, record_formfield

from .models import Target


class TargetForm(RecordForm):
    class Meta:
        model = Target
        fields = ["metric", "province", "year", "start_date", "end_date", "value", "note"]
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].empty_label = _("Iran (national target)")
        for name in ("start_date", "end_date"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Leave empty for the whole Iranian year.")
