from django.utils.translation import gettext_lazy as _

from shahrak.estates.models import Estate
from shahrak.ui.choices import CodeChoiceField, EstateChoiceField, writable
from shahrak.ui.forms import RecordForm, record_formfield

from .models import DevelopmentProject, Disbursement, PlannedDisbursement


class DevelopmentProjectForm(RecordForm):
    estate = EstateChoiceField(queryset=None, label=_("estate"))

    class Meta:
        model = DevelopmentProject
        fields = [
            "code", "estate", "title", "title_en", "category", "credit_rials", "funding_source", "approved_date",
            "start_date", "planned_end_date", "actual_end_date", "physical_progress", "status", "stopped_date",
        ]  # fmt: skip
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = writable(Estate.objects.all(), self.user).order_by("code")
        for name in ("code", "title_en"):
            self.fields[name].widget.attrs["dir"] = "ltr"


def project_field():
    return CodeChoiceField(
        DevelopmentProject.objects.all(),
        to_field_name="code",
        label=_("project (code)"),
        not_found=_("No development project has the code %(value)s."),
    )


class DisbursementForm(RecordForm):
    project = project_field()

    class Meta:
        model = Disbursement
        fields = ["project", "date", "amount_rials", "funding_source", "reference"]
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = writable(DevelopmentProject.objects.all(), self.user)
        self.fields["reference"].widget.attrs["dir"] = "ltr"


class PlannedDisbursementForm(RecordForm):
    project = project_field()

    class Meta:
        model = PlannedDisbursement
        fields = ["project", "year", "month", "amount_rials"]
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = writable(DevelopmentProject.objects.all(), self.user)
