from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter

from . import schema  # noqa: F401 -- OpenAPI annotations of shared filters
from .land import LAND_VIEWSETS
from .parsers import JSONParser
from .views import VIEWSETS, MetricsView

app_name = "api"

router = DefaultRouter()
for prefix, viewset in VIEWSETS.items():
    router.register(prefix, viewset, basename=prefix)
# Land and workshops, read only, under the web's prefixes (/api/land/plots/ ...).
for prefix, (basename, viewset) in LAND_VIEWSETS.items():
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", include(router.urls)),
    path("metrics/", MetricsView.as_view(), name="metrics"),
    # JSON only, like every other body of the API (DRF's view also reads forms).
    path("token/", ObtainAuthToken.as_view(parser_classes=[JSONParser]), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
