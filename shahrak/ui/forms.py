"""The base of every record form (the period picker of the figure pages is in shahrak/web/forms.py)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models

from shahrak.core.constraints import constraint_fields
from shahrak.core.forms import (
    CODE_FIELD_NAMES,
    CodeCharField,
    JalaliDateField,
    NormalizedCharField,
    RialField,
)
from shahrak.records.actions import save_record

from . import format as fmt
from .choices import CodeChoiceField
from .fields import LocalizedDecimalField, LocalizedIntegerField


def record_formfield(db_field, **kwargs):
    """Form fields that read what Iranian users type: Solar Hijri dates, Persian digits, rials."""
    common = {"required": not db_field.blank, "label": db_field.verbose_name, "help_text": db_field.help_text}
    if db_field.choices or db_field.is_relation:
        return db_field.formfield(**kwargs)
    if isinstance(db_field, models.DateField):
        return JalaliDateField(**common)
    if isinstance(db_field, models.BigIntegerField) and db_field.name.endswith("_rials"):
        return RialField(**common)
    if isinstance(db_field, models.DecimalField):
        return LocalizedDecimalField(
            max_digits=db_field.max_digits, decimal_places=db_field.decimal_places, **common
        )
    if isinstance(db_field, models.IntegerField):
        return LocalizedIntegerField(**common)
    if isinstance(db_field, models.CharField):
        text_field = CodeCharField if db_field.name in CODE_FIELD_NAMES else NormalizedCharField
        return db_field.formfield(form_class=text_field, **kwargs)
    return db_field.formfield(**kwargs)


def mark_text_box(name: str, field) -> None:
    """A box holding a code is marked as a code and left-to-right (its value is written as issued);
    a box holding an English name or title is marked English, a Persian one Persian."""
    attrs = field.widget.attrs
    if isinstance(field.widget, (forms.Select, forms.CheckboxInput)):
        return
    if name in CODE_FIELD_NAMES or isinstance(field, CodeChoiceField):
        attrs["class"] = " ".join(filter(None, [attrs.get("class"), "code"]))
        attrs["dir"] = "ltr"
    elif name.endswith("_en"):
        attrs.update({"lang": "en", "dir": "ltr"})
    elif name.endswith("_fa"):
        attrs.update({"lang": "fa", "dir": "rtl"})


class RecordForm(forms.ModelForm):
    """A record's form. It validates like the model, showing a broken database rule's own message
    (the constraint's violation_error_message) on the field it is about, and saves through the one
    write path, so the user's role and province are checked there."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, CodeChoiceField):
                field.user = user
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            mark_text_box(name, field)
            self._mark_shipped_text(name, field)
            field.widget.attrs["class"] = " ".join(filter(None, [css, field.widget.attrs.get("class")]))
            field.label = fmt.label(field.label)

    def _mark_shipped_text(self, name, field) -> None:
        """A box holding a text the application shipped in English (a county's provisional source)
        shows it as stored, marked English, with its translation beneath for a Persian reader."""
        from .history import SHIPPED_TEXT_FIELDS, SHIPPED_TEXTS, shipped_text

        value = self.initial.get(name)
        if name in SHIPPED_TEXT_FIELDS and value in SHIPPED_TEXTS:
            field.widget.attrs.update({"lang": "en", "dir": "ltr"})
            if fmt.is_fa():
                field.help_text = shipped_text(value)

    def validate_constraints(self):
        exclude = self._get_validation_exclusions()
        model = type(self.instance)
        for constraint in model._meta.constraints:
            try:
                constraint.validate(model, self.instance, exclude=exclude)
            except ValidationError as error:
                field = next((f for f in constraint_fields(model, constraint) if f in self.fields), None)
                self._update_errors(ValidationError({field or NON_FIELD_ERRORS: error.messages}))

    def save_record(self, actor):
        """Save through the write path; on a refusal, put its message on the form and return None."""
        instance = self.save(commit=False)
        try:
            return self.write(instance, actor)
        except ValidationError as error:
            self._update_errors(error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return None

    def write(self, instance, actor):
        return save_record(instance, actor=actor)
