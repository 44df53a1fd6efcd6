"""Web pages of imports: upload, preview of what would change, confirm; template downloads.

Thin callers: the checks and the writing are in `importer`, the background work in `jobs`, who
may write what in `shahrak.accounts.scope`.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shahrak.accounts.scope import is_admin, may_write_model, restrict
from shahrak.projects.filtersets import DevelopmentProjectFilterSet
from shahrak.projects.models import DevelopmentProject

from . import jobs
from .export import FORMATS, template_response
from .models import ImportJob, JobStatus
from .oc4ids import oc4ids_response
from .readers import size_error
from .resources import IMPORTABLE, RESOURCES


def writable_resources(user) -> list:
    return [r for r in IMPORTABLE.values() if may_write_model(user, r.model)]


class UploadForm(forms.Form):
    resource = forms.ChoiceField(label=gettext_lazy("Record type"), required=False)
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))
    keep_valid = forms.BooleanField(
        label=gettext_lazy("Load the valid rows and give me the rejected ones as a file"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [("", _("Recognise from the header"))] + [
            (r.slug, r.title) for r in writable_resources(user)
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-check-input" if isinstance(field, forms.BooleanField) else "form-control"
            )
        self.fields["resource"].widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if message := size_error(upload.size):
            raise forms.ValidationError(message)
        return upload


def _own_job(request, pk: int) -> ImportJob:
    """The job, as it is now: one whose worker is gone is marked failed when seen."""
    job = get_object_or_404(ImportJob.objects.select_related("user"), pk=pk)
    if job.user_id != request.user.pk and not is_admin(request.user):
        raise Http404
    if job.running and jobs.fail_stale_jobs(pk=job.pk):
        job.refresh_from_db()
    return job


@login_required
def upload(request):
    if not writable_resources(request.user):
        raise PermissionDenied(
            _("Your role (%(role)s) may not import records.") % {"role": request.user.get_role_display()}
        )
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = ImportJob(
            user=request.user,
            resource=form.cleaned_data["resource"] or "",
            filename=upload.name[-200:],
            size=upload.size,
            keep_valid=form.cleaned_data["keep_valid"],
            language="fa" if (get_language() or "fa").startswith("fa") else "en",
        )
        job.file.save(upload.name[-100:], upload, save=False)
        job.save()
        jobs.start_check(job)
        return redirect("imports:job", pk=job.pk)
    jobs.fail_stale_jobs(user=request.user)
    recent = ImportJob.objects.filter(user=request.user)[:10]
    return render(
        request,
        "imports/upload.html",
        {"form": form, "recent": recent, "resources": list(IMPORTABLE.values()), "nav": "imports"},
    )


@login_required
def job_detail(request, pk: int):
    job = _own_job(request, pk)
    return render(
        request, "imports/job.html", {"job": job, "nav": "imports", "summary": job.result or job.preview}
    )


@login_required
def job_progress(request, pk: int):
    """The progress box, polled by htmx while the job runs; the whole page reloads when it ends."""
    job = _own_job(request, pk)
    response = render(request, "imports/progress.html", {"job": job})
    if not job.running and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_confirm(request, pk: int):
    job = _own_job(request, pk)
    if job.user_id != request.user.pk:
        raise PermissionDenied(_("Only the person who uploaded the file may confirm its import."))
    if job.status != JobStatus.CHECKED:
        messages.error(
            request,
            _("This import cannot be confirmed now (%(status)s).") % {"status": job.get_status_display()},
        )
        return redirect("imports:job", pk=job.pk)
    jobs.start_import(job)
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def job_retry(request, pk: int):
    """Run a failed job again (its worker died, say): imported again if its check had passed."""
    job = _own_job(request, pk)
    if job.user_id != request.user.pk:
        raise PermissionDenied(_("Only the person who uploaded the file may run its import again."))
    if not jobs.may_run_again(job):
        messages.error(
            request,
            _("This import cannot be run again now (%(status)s).") % {"status": job.get_status_display()},
        )
        return redirect("imports:job", pk=job.pk)
    jobs.run_again(job)
    return redirect("imports:job", pk=job.pk)


@login_required
def job_rejected(request, pk: int):
    job = _own_job(request, pk)
    if not job.rejected_file:
        raise Http404
    return FileResponse(
        job.rejected_file.open("rb"), as_attachment=True, filename=f"{job.filename}-rejected.csv"
    )


@login_required
def template_download(request, resource: str, fmt: str):
    if resource not in IMPORTABLE or fmt not in FORMATS:
        raise Http404
    return template_response(RESOURCES[resource], fmt, lang=request.GET.get("lang") or get_language())


@login_required
def oc4ids(request):
    """Development projects (with the project list's filters) as an OC4IDS project package."""
    queryset = restrict(DevelopmentProject.objects.all(), request.user, "view")
    queryset = DevelopmentProjectFilterSet(request.GET or None, queryset=queryset).qs
    return oc4ids_response(queryset)
