from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("shahrak.ops.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("shahrak.api.urls")),
    path("imports/", include("shahrak.imports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("shahrak.web.urls")),
    path("", include("shahrak.regions.urls")),
    path("", include("shahrak.estates.urls")),
    path("", include("shahrak.units.urls")),
    path("", include("shahrak.projects.urls")),
    path("", include("shahrak.land.urls")),
    path("", include("shahrak.targets.urls")),
    path("", include("shahrak.money.urls")),
    path("", include("shahrak.analysis.urls")),
    path("", include("shahrak.returns.urls")),
]
