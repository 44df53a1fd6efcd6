"""Generic views for every record type (the NetBox shape): a view declares its queryset,
filterset, table, form and template; these classes do the rest.

Reading needs a signed-in user; writing goes through `shahrak.records.actions.save_record` /
`delete_record` (inside the forms), which check the user's role and province.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage
from django.db.models import ProtectedError
from django.forms import TextInput
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from shahrak.accounts.scope import check_write, may_write_model, restrict
from shahrak.records.actions import delete_record, save_record
from shahrak.records.guards import WriteRefused

from .format import label as marked_label
from .format import numbers_in_reader_digits
from .history import history_entries
from .hooks import hook
from .paginator import CappedPaginator
from .panels import panels_for


def model_url(model, action: str, *args) -> str:
    """URL of a record type's page: 'list', 'add', or ('', 'edit', 'delete', 'history') with a pk."""
    meta = model._meta
    name = f"{meta.app_label}:{meta.model_name}" + ("" if action == "" else f"_{action}")
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def may_change(user, instance) -> bool:
    try:
        check_write(user, instance, "change")
    except PermissionDenied:
        return False
    return True


def export_url(model, request) -> dict:
    """Links to export the list as CSV / XLSX with its current filters, when exports exist."""
    base = model_url(model, "export")
    if not base:
        return {}
    query = request.GET.copy()
    query.pop("page", None)
    links = {fmt: f"{base}?{query.urlencode() + '&' if query else ''}format={fmt}" for fmt in ("csv", "xlsx")}
    if model._meta.label_lower == "projects.developmentproject":
        # Development projects also go out as Open Contracting for Infrastructure (OC4IDS) JSON.
        links["oc4ids"] = f"{reverse('imports:oc4ids')}?{query.urlencode()}"
    return links


class SearchInput(TextInput):
    """The search box: what was searched, its lone numbers in the reader's digits (search ignores
    the digit system, so «۱۴۰۱» finds what 1401 found); codes as typed."""

    def format_value(self, value):
        value = super().format_value(value)
        return None if value is None else numbers_in_reader_digits(value)


def prepare_filter_form(form) -> None:
    """Bootstrap classes on a filterset's form; the province filter as a list of the 31 provinces."""
    from django import forms

    for name, field in form.fields.items():
        field.label = marked_label(field.label)
        if name == "province" and not isinstance(field.widget, forms.Select):
            field.widget = forms.Select(choices=[("", "---------"), *hook("province_choices")()])
            field.label = _("Province")
        if name == "q":
            field.widget = SearchInput(attrs={"type": "search"})
        if isinstance(field.widget, forms.NullBooleanSelect):
            field.widget = forms.Select(choices=[("", "---------"), ("true", _("Yes")), ("false", _("No"))])
        widget = field.widget
        widget.attrs["class"] = (
            "form-select form-select-sm"
            if isinstance(widget, forms.Select)
            else "form-control form-control-sm"
        )


class BaseObjectView(LoginRequiredMixin, View):
    queryset = None
    template_name = None

    @property
    def model(self):
        return self.queryset.model

    def get_queryset(self, request):
        return restrict(self.queryset.all(), request.user, "view")

    def get_object(self, request, pk):
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def base_context(self, request) -> dict:
        return {"model": self.model, "meta": self.model._meta}


class ObjectListView(BaseObjectView):
    """A list with search, filters, sorting and paging that stays fast at national scale."""

    filterset = None
    table = None
    template_name = "web/object_list.html"
    per_page = 50

    def get_extra_context(self, request) -> dict:
        """What a list page adds above its table (the returns' list: late and missing returns)."""
        return {}

    def get(self, request):
        queryset = self.get_queryset(request)
        filterset = self.filterset(request.GET or None, queryset=queryset, request=request)
        prepare_filter_form(filterset.form)
        table = self.table(filterset.qs, request=request)
        try:
            RequestConfig(
                request,
                paginate={"per_page": self.per_page, "paginator_class": CappedPaginator, "silent": False},
            ).configure(table)
        except EmptyPage:
            raise Http404(_("There is no such page.")) from None
        context = {
            **self.base_context(request),
            "table": table,
            "filter_form": filterset.form,
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "sort", "unit")),
            "can_add": may_write_model(request.user, self.model),
            "add_url": model_url(self.model, "add"),
            "deleted_url": model_url(self.model, "deleted"),
            "exports": export_url(self.model, request),
        }
        htmx = getattr(request, "htmx", None)
        partial = bool(htmx) and not htmx.history_restore_request
        if not partial:
            context.update(self.get_extra_context(request))
        template = "web/inc/results.html" if partial else self.template_name
        return render(request, template, context)


class ObjectExportView(BaseObjectView):
    """The list as CSV or XLSX, with the list's own filters (the query string of the list page)."""

    list_view = None

    def get(self, request):
        fmt = request.GET.get("format")
        if fmt not in hook("export_formats")():
            raise Http404(_("There is no such export."))
        view = self.list_view
        queryset = restrict(view.queryset.all(), request.user, "view")
        filterset = view.filterset(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound and not filterset.is_valid():
            # A filter that cannot be read is refused, not dropped: dropping it would export everything.
            problems = "; ".join(
                f"{filterset.form.fields[name].label if name in filterset.form.fields else name}: {' '.join(errors)}"
                for name, errors in filterset.form.errors.items()
            )
            return HttpResponseBadRequest(
                _("Nothing was exported: %(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        records = filterset.qs
        return hook("export_list")(records, records.model, fmt)


class ObjectView(BaseObjectView):
    """A record's page; `get_extra_context` adds its related records, and the apps above its own
    add theirs as panels (shahrak/ui/panels.py)."""

    def get_template_names(self):
        meta = self.model._meta
        return [self.template_name or f"{meta.app_label}/{meta.model_name}.html", "web/object.html"]

    def get_extra_context(self, request, instance) -> dict:
        return {}

    def get(self, request, pk):
        instance = self.get_object(request, pk)
        context = {
            **self.base_context(request),
            "object": instance,
            "can_change": may_change(request.user, instance),
            **panels_for(request, instance),
            **self.get_extra_context(request, instance),
        }
        return render(request, self.get_template_names(), context)


class ObjectEditView(BaseObjectView):
    """Add (no pk) or change a record with a form whose `save_record(actor)` uses the one write path."""

    form = None
    template_name = "web/object_edit.html"

    def get_instance(self, request, pk):
        if pk is None:
            if not may_write_model(request.user, self.model):
                raise PermissionDenied(
                    _("Your role may not add %(records)s.")
                    % {"records": self.model._meta.verbose_name_plural}
                )
            return self.model()
        instance = self.get_object(request, pk)
        check_write(request.user, instance, "change")
        return instance

    def get_initial(self, request, instance) -> dict:
        return request.GET.dict() if instance._state.adding else {}

    def render_form(self, request, form, instance):
        context = {
            **self.base_context(request),
            "form": form,
            "object": instance,
            "adding": instance._state.adding,
        }
        return render(request, self.template_name, context)

    def get(self, request, pk=None):
        instance = self.get_instance(request, pk)
        form = self.form(instance=instance, initial=self.get_initial(request, instance), user=request.user)
        return self.render_form(request, form, instance)

    def post(self, request, pk=None):
        instance = self.get_instance(request, pk)
        adding = instance._state.adding
        form = self.form(request.POST, instance=instance, user=request.user)
        saved = form.save_record(actor=request.user) if form.is_valid() else None
        if saved is None:
            return self.render_form(request, form, instance)
        messages.success(
            request, (_("Added %(record)s.") if adding else _("Saved %(record)s.")) % {"record": saved}
        )
        for warning in getattr(saved, "write_warnings", []):
            messages.warning(request, warning)
        return redirect(self.success_url(saved))

    def success_url(self, instance):
        return model_url(type(instance), "", instance.pk)


class ObjectDeleteView(BaseObjectView):
    template_name = "web/object_delete.html"

    def get(self, request, pk):
        instance = self.get_object(request, pk)
        check_write(request.user, instance, "delete")
        return render(request, self.template_name, {**self.base_context(request), "object": instance})

    def post(self, request, pk):
        instance = self.get_object(request, pk)
        label = str(instance)
        try:
            delete_record(instance, actor=request.user, reason=request.POST.get("reason") or None)
        except WriteRefused as error:
            # A rule of an app above (a locked month): say why, on the record's page.
            messages.error(
                request, _("%(record)s cannot be deleted: %(reason)s") % {"record": label, "reason": error}
            )
            return redirect(model_url(self.model, "", pk))
        except ProtectedError as error:
            kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
            messages.error(
                request,
                _("%(record)s cannot be deleted while it has %(related)s; delete or move them first.")
                % {"record": label, "related": "، ".join(kinds)},
            )
            return redirect(model_url(self.model, "", pk))
        messages.success(request, _("Deleted %(record)s. Its history is kept.") % {"record": label})
        return redirect(self.success_url(instance))

    def success_url(self, instance):
        return model_url(self.model, "list")


class ObjectDeletedView(BaseObjectView):
    """Deleted records of a type, newest first; restoring one saves its last state again (as a change
    by the restoring user, through the write path, so the same rules and scope apply)."""

    template_name = "web/object_deleted.html"

    def deleted(self):
        existing = self.model._default_manager.values("pk")
        rows = (
            self.model.history.filter(history_type="-")
            .exclude(id__in=existing)
            .select_related("history_user")
            .order_by("-history_date")[:200]
        )
        seen, latest = set(), []
        for row in rows:
            if row.id not in seen:
                seen.add(row.id)
                latest.append(row)
        return latest

    def get(self, request):
        context = {
            **self.base_context(request),
            "rows": self.deleted(),
            "can_restore": may_write_model(request.user, self.model),
        }
        return render(request, self.template_name, context)

    def post(self, request):
        record = get_object_or_404(
            self.model.history.filter(history_type="-"), history_id=request.POST.get("history_id")
        )
        instance = record.instance
        if self.model._default_manager.filter(pk=instance.pk).exists():
            messages.info(request, _("%(record)s is already back.") % {"record": instance})
            return redirect(model_url(self.model, "", instance.pk))
        try:
            save_record(instance, actor=request.user, reason=_("restored after deletion"))
        except (ValidationError, PermissionDenied) as error:
            reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            messages.error(
                request,
                _("%(record)s cannot be restored: %(reason)s") % {"record": instance, "reason": reason},
            )
            return redirect(model_url(self.model, "deleted"))
        messages.success(request, _("Restored %(record)s.") % {"record": instance})
        return redirect(model_url(self.model, "", instance.pk))


class ObjectHistoryView(BaseObjectView):
    """Every change to a record: who, when, what before and after."""

    template_name = "web/object_history.html"

    def get(self, request, pk):
        instance = self.get_object(request, pk)
        context = {
            **self.base_context(request),
            "object": instance,
            "entries": history_entries(instance.history.all().select_related("history_user")[:200]),
        }
        return render(request, self.template_name, context)


def record_urls(
    slug: str, model_name: str, *, list_view, detail=None, edit=None, delete=None, history=None, export=True
):
    """The URL patterns of one record type: slug/, slug/export/ (unless the type has no spreadsheet
    form, export=False), slug/add/, slug/<pk>/, …/edit/, …/delete/, …/history/."""
    from django.urls import path

    patterns = [path(f"{slug}/", list_view.as_view(), name=f"{model_name}_list")]
    if export:
        patterns.append(
            path(
                f"{slug}/export/",
                ObjectExportView.as_view(list_view=list_view, queryset=list_view.queryset),
                name=f"{model_name}_export",
            )
        )
    if edit is not None:
        patterns.append(path(f"{slug}/add/", edit.as_view(), name=f"{model_name}_add"))
    if detail is not None:
        patterns.append(path(f"{slug}/<int:pk>/", detail.as_view(), name=model_name))
    if edit is not None:
        patterns.append(path(f"{slug}/<int:pk>/edit/", edit.as_view(), name=f"{model_name}_edit"))
    if delete is not None:
        patterns.append(path(f"{slug}/<int:pk>/delete/", delete.as_view(), name=f"{model_name}_delete"))
    if history is not None:
        patterns.append(path(f"{slug}/<int:pk>/history/", history.as_view(), name=f"{model_name}_history"))
    if delete is not None:
        deleted = ObjectDeletedView.as_view(queryset=list_view.queryset)
        patterns.append(path(f"{slug}/deleted/", deleted, name=f"{model_name}_deleted"))
    return patterns
