from django.utils.translation import gettext_lazy as _

from shahrak.core import jalali
from shahrak.ui.forms import RecordForm, record_formfield

from .models import Target

UNIQUE = _("There is already a target for this metric, period and scope.")


class TargetForm(RecordForm):
    constraint_messages = {
        "target_ends_after_start": ("end_date", _("A target cannot end before it starts.")),
        "target_unique_per_province": ("metric", UNIQUE),
        "target_unique_national": ("metric", UNIQUE),
    }

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

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year and not data.get("start_date") and not data.get("end_date"):
            bounds = jalali.year_bounds(year)
            data["start_date"], data["end_date"] = bounds.start, bounds.end
            self.instance.start_date, self.instance.end_date = bounds.start, bounds.end
        for name in ("start_date", "end_date"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Give the Iranian year, or both dates."))
        return data
