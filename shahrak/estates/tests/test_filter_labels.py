"""Filter labels worded from the model follow the reader's language, whichever language came first."""

import pytest
from django.utils import translation

from shahrak.estates.filtersets import EstateFilterSet
from shahrak.estates.models import Estate

pytestmark = pytest.mark.django_db


def label_of(name):
    return str(EstateFilterSet(queryset=Estate.objects.all()).form.fields[name].label)


def test_a_field_made_on_the_class_filter_does_not_put_the_english_name_on_persian_pages():
    kind = EstateFilterSet.base_filters["kind"]
    try:
        assert kind.field.label is None  # as the API's filter backend does: no model yet, so a field with no label
        with translation.override("fa"):
            persian = label_of("kind")
    finally:
        kind.__dict__.pop("_field", None)
    assert persian == str(Estate._meta.get_field("kind").verbose_name.capitalize()) != "Kind"


def test_a_label_worded_in_english_once_is_persian_on_a_persian_page():
    kind = EstateFilterSet.base_filters["kind"]
    try:
        with translation.override("en"):
            kind.model = Estate  # as django-filter does on a filter in use: the words stay on it
            assert kind.label == "Kind"
            assert label_of("kind") == "Kind"
        with translation.override("fa"):
            persian = label_of("kind")
    finally:
        kind._label = None
        del kind.model
    assert persian == str(Estate._meta.get_field("kind").verbose_name.capitalize()) != "Kind"
