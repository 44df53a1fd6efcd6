"""Forms of the officer's pages. Record forms save through the one write path; action forms only
read what the officer typed and hand it to the named action (actions.py)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.core.forms import CodeCharField, JalaliDateField, NormalizedCharField, RialField
from shahrak.estates.models import Estate, WorkshopUnit
from shahrak.ui import format as fmt
from shahrak.ui.choices import CodeChoiceField, EstateChoiceField, writable
from shahrak.ui.fields import LocalizedDecimalField, LocalizedIntegerField
from shahrak.ui.forms import RecordForm, record_formfield
from shahrak.units.models import ProductionUnit

from . import actions, terms
from .models import Application, Plot, Programme, ProgrammeMember


class PolygonField(forms.JSONField):
    """The site-plan polygon as GeoJSON text; an empty box for a plot without one (not «null»)."""

    def prepare_value(self, value):
        return "" if value is None else super().prepare_value(value)


class PlotForm(RecordForm):
    estate = EstateChoiceField(queryset=None, label=_("estate"))

    class Meta:
        model = Plot
        fields = [
            "estate", "code", "area_m2", "use", "price_per_m2_rials",
            "has_water", "has_electricity", "has_gas", "has_road", "has_telecom", "polygon",
        ]  # fmt: skip
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = writable(Estate.objects.all(), self.user).order_by("code")
        self.fields["code"].widget.attrs["dir"] = "ltr"
        polygon = self.fields["polygon"]
        self.fields["polygon"] = PolygonField(
            label=polygon.label, required=False, help_text=polygon.help_text, widget=forms.Textarea
        )
        # GeoJSON is data written as it is stored: kept left-to-right and marked as a code.
        self.fields["polygon"].widget.attrs.update({"dir": "ltr", "rows": 3, "class": "form-control code"})
        # A merge or split fixed the plot's estate and area (Plot.clean): shown, not offered.
        plot = self.instance
        if plot.pk and (plot.made_by_id or plot.ended_by_id):
            fixed = ("estate", "area_m2", "use") if plot.ended_by_id else ("estate", "area_m2")
            for name in fixed:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("fixed by its merge or split")


class ApplicationForm(RecordForm):
    """An application received at the office (or typed in from the online form)."""

    estate = EstateChoiceField(queryset=None, label=_("preferred estate"))

    class Meta:
        model = Application
        fields = [
            "estate", "applicant_kind", "applicant_id", "name", "phone", "licence_number", "licence_date",
            "isic", "requested_area_m2", "applied_date", "channel",
        ]  # fmt: skip
        formfield_callback = record_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estate"].queryset = writable(Estate.objects.all(), self.user).order_by("code")
        for name in ("applicant_id", "phone", "licence_number"):  # written as issued: codes
            self.fields[name].widget.attrs.update({"dir": "ltr", "class": "form-control code"})
        if not self.instance.pk:
            self.fields["applied_date"].initial = timezone.localdate()

    def write(self, instance, actor):
        return actions.submit_application(instance, actor=actor)


class ProgrammeForm(RecordForm):
    class Meta:
        model = Programme
        fields = ["code", "name_fa", "name_en", "target", "start_date", "end_date"]
        formfield_callback = record_formfield


class ProgrammeMemberForm(RecordForm):
    class Meta:
        model = ProgrammeMember
        fields = ["programme", "workshop"]


def _today_field(label):
    return JalaliDateField(label=label, initial=timezone.localdate)


def unit_field(label):
    return CodeChoiceField(
        ProductionUnit.objects.all(), to_field_name="national_id", label=label,
        not_found=_("No production unit has the national ID %(value)s."),
    )  # fmt: skip


class ActionForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ReviewForm(ActionForm):
    """One score 0–100 per criterion; the weights are shown beside them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, weight in terms.CRITERIA:
            self.fields[key] = LocalizedDecimalField(
                label=label, min_value=0, max_value=100, max_digits=5, decimal_places=2,
                help_text=_("weight %(weight)s of 100") % {"weight": fmt.number(weight)},
            )  # fmt: skip
            self.fields[key].widget.attrs["class"] = "form-control"

    def scores(self):
        return {key: self.cleaned_data[key] for key in terms.CRITERIA_WEIGHTS}


class ApproveForm(ActionForm):
    day = _today_field(_("approved on"))
    plots = NormalizedCharField(
        label=_("plots (codes, separated by commas)"),
        widget=forms.TextInput(attrs={"dir": "ltr", "class": "form-control code"}),
    )

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean_plots(self):
        codes = [
            code.strip() for code in self.cleaned_data["plots"].replace("،", ",").split(",") if code.strip()
        ]
        plots = list(Plot.objects.filter(estate_id=self.application.estate_id, code__in=codes))
        missing = sorted(set(codes) - {plot.code for plot in plots})
        if missing:
            raise forms.ValidationError(
                _("Estate %(estate)s has no plot %(codes)s.")
                % {"estate": self.application.estate.code, "codes": ", ".join(missing)}
            )
        return plots


def _codes(text) -> list[str]:
    return [code.strip() for code in (text or "").replace("،", ",").split(",") if code.strip()]


class MergeForm(ActionForm):
    """Merge this plot with others of its estate into one new plot (actions.merge_plots)."""

    date = _today_field(_("merged on"))
    others = NormalizedCharField(
        label=_("the other plots (codes, separated by commas)"),
        widget=forms.TextInput(attrs={"dir": "ltr", "class": "form-control code"}),
    )
    code = NormalizedCharField(
        label=_("code of the merged plot"), max_length=30,
        widget=forms.TextInput(attrs={"dir": "ltr", "class": "form-control code"}),
    )  # fmt: skip
    reason = NormalizedCharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plot=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plot = plot

    def clean_others(self):
        codes = _codes(self.cleaned_data["others"])
        plots = list(
            Plot.objects.filter(estate_id=self.plot.estate_id, code__in=codes).exclude(pk=self.plot.pk)
        )
        missing = sorted(set(codes) - {plot.code for plot in plots})
        if missing:
            raise forms.ValidationError(
                _("Estate %(estate)s has no plot %(codes)s.")
                % {"estate": self.plot.estate.code, "codes": ", ".join(missing)}
            )
        return plots

    def plots(self):
        return [self.plot, *self.cleaned_data["others"]]


class SplitForm(ActionForm):
    """Split this plot into new plots, one a line: code and area in m² (actions.split_plot)."""

    date = _today_field(_("split on"))
    parts = NormalizedCharField(
        label=_("new plots: one a line, code and area (m²)"),
        help_text=_("The new plots' areas add up to the plot's area."),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr", "class": "form-control code"}),
    )
    reason = NormalizedCharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plot=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plot = plot

    def clean_parts(self):
        from decimal import Decimal, InvalidOperation

        from shahrak.core.text import normalize

        parts = []
        for line in normalize(self.cleaned_data["parts"]).splitlines():
            words = line.replace("،", " ").replace(",", " ").split()
            if not words:
                continue
            try:
                if len(words) != 2:
                    raise InvalidOperation
                parts.append(actions.NewPlot(words[0], Decimal(words[1])))
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Write each new plot on its own line: its code, a space, its area in m² (%(line)s).")
                    % {"line": line.strip()}
                ) from None
        return parts


class RejectForm(ActionForm):
    day = _today_field(_("decided on"))
    reason = NormalizedCharField(label=_("reason for rejection"), widget=forms.Textarea(attrs={"rows": 2}))


class DayForm(ActionForm):
    day = _today_field(_("date"))


class SignForm(ActionForm):
    signed = _today_field(_("signed on"))
    discount_percent = LocalizedDecimalField(
        label=_("discount (%)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
        initial=0,
    )
    holder = unit_field(_("holder (national ID), if not the applicant's own unit"))
    employees = LocalizedIntegerField(
        label=_("employees of a new unit"), min_value=1, initial=1, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].required = False


class PaymentForm(ActionForm):
    date = _today_field(_("date"))
    amount_rials = RialField(label=_("amount (rials)"))
    reference = NormalizedCharField(
        label=_("payment reference"),
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "class": "form-control code"}),
    )


class ExtendForm(ActionForm):
    granted = _today_field(_("granted on"))
    new_deadline = JalaliDateField(label=_("new construction deadline"))
    reason = NormalizedCharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TransferForm(ActionForm):
    to_holder = unit_field(_("new holder (national ID)"))
    date = _today_field(_("date"))
    reason = NormalizedCharField(label=_("reason"), required=False)


class TerminateForm(ActionForm):
    date = _today_field(_("terminated on"))
    reason = NormalizedCharField(label=_("reason for termination"), widget=forms.Textarea(attrs={"rows": 2}))


class LeaseForm(ActionForm):
    estate = NormalizedCharField(
        label=_("estate (code)"), widget=forms.TextInput(attrs={"dir": "ltr", "class": "form-control code"})
    )
    workshop = NormalizedCharField(
        label=_("workshop (code)"), widget=forms.TextInput(attrs={"dir": "ltr", "class": "form-control code"})
    )
    tenant = unit_field(_("tenant (national ID)"))
    start = _today_field(_("start"))
    end = JalaliDateField(label=_("end"), required=False)
    monthly_rent_rials = RialField(label=_("monthly rent (rials)"))

    def clean(self):
        data = super().clean()
        if data.get("estate") and data.get("workshop"):
            workshop = WorkshopUnit.objects.filter(estate__code=data["estate"], code=data["workshop"]).first()
            if workshop is None:
                self.add_error(
                    "workshop",
                    _("Estate %(estate)s has no workshop %(code)s.")
                    % {"estate": data["estate"], "code": data["workshop"]},
                )
            data["workshop_unit"] = workshop
        return data


class OnlineApplicationForm(forms.ModelForm):
    """An investor's application from the public catalogue, without an account (issue 13).

    Only what the applicant types; the estate comes from the page, the plots offered are the
    estate's free plots, the day and the channel are set by the action (actions.submit_online).
    `website` is a honeypot: hidden from people, filled in by robots (web/public.py refuses it).
    Every text box has a size limit (the model's lengths), and a reader's digits are accepted.
    """

    plots = forms.ModelMultipleChoiceField(
        queryset=Plot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("plots you apply for"),
        error_messages={"required": _("Choose at least one free plot.")},
    )
    website = forms.CharField(required=False, max_length=200, label=_("Leave this box empty"))

    class Meta:
        model = Application
        fields = [
            "applicant_kind", "applicant_id", "name", "phone", "licence_number", "licence_date",
            "requested_area_m2",
        ]  # fmt: skip
        formfield_callback = record_formfield

    def __init__(self, *args, estate, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.estate = estate
        self.fields["plots"].queryset = Plot.objects.filter(estate=estate).free_on(day).order_by("code")
        self.fields["plots"].label_from_instance = lambda plot: plot.code
        for name in ("phone", "licence_number"):  # written as issued, in any digits: Latin digits kept
            old = self.fields[name]
            self.fields[name] = CodeCharField(
                label=old.label, required=old.required, max_length=old.max_length, help_text=old.help_text
            )
        self.fields["phone"].required = True  # the office calls the applicant back
        for name, field in self.fields.items():
            if name == "plots":
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            if getattr(field, "max_length", None):
                field.widget.attrs["maxlength"] = field.max_length
        for name in ("applicant_id", "phone", "licence_number"):  # written as issued: codes
            self.fields[name].widget.attrs.update({"dir": "ltr", "class": "form-control code"})
        self.fields["applicant_id"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_robot(self) -> bool:
        """The honeypot is filled: no person sees the box."""
        return bool((self.data.get("website") or "").strip())
