from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from . import schema  # noqa: F401 -- OpenAPI annotations of shared filters
from .views import VIEWSETS, MetricsView

app_name = "api"

router = DefaultRouter()
for prefix, viewset in VIEWSETS.items():
    router.register(prefix, viewset, basename=prefix)

urlpatterns = [
    path("", include(router.urls)),
    path("metrics/", MetricsView.as_view(), name="metrics"),
    path("token/", obtain_auth_token, name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
