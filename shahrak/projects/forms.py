from django.utils.translation import gettext_lazy as _

from shahrak.estates.models import Estate
from shahrak.ui.choices import CodeChoiceField, EstateChoiceField, writable
from shahrak.ui.forms import RecordForm, record_formfield

from .models import DevelopmentProject, Disbursement, PlannedDisbursement


class DevelopmentProjectForm(RecordForm):
    estate = EstateChoiceField(queryset=None, label=_("estate"))

    constraint_messages = {
        "project_ends_after_start": (
            "actual_end_date",
            _("The actual end needs a start date and cannot come before it."),
        ),
        "project_planned_end_after_start": ("planned_end_date", _("The planned end cannot come before the start.")),
        "project_starts_after_approval": ("start_date", _("A project cannot start before it is approved.")),
        "project_completed_has_end": ("actual_end_date", _("A completed project needs its actual end date.")),
        "project_stopped_date_iff_stopped": (
            "stopped_date",
            _("Give the day it stopped when, and only when, a project is suspended or cancelled."),
        ),
        "project_started_has_start": ("start_date", _("A project underway or completed needs its start date.")),
    }

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

    constraint_messages = {
        "planned_one_per_project_month": ("month", _("This project already has a planned amount for this month.")),
    }

    class Meta:
        model = PlannedDisbursement
        fields = ["project", "year", "month", "amount_rials"]
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = writable(DevelopmentProject.objects.all(), self.user)
