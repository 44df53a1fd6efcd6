from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/again/", views.job_retry, name="again"),
    path("<int:pk>/rejected/", views.job_rejected, name="rejected"),
    path("templates/<slug:resource>.<str:fmt>", views.template_download, name="template"),
    path("oc4ids/", views.oc4ids, name="oc4ids"),
]
