"""The project's URLs and one page that fails, to see the 500 page a reader gets."""

from django.urls import path

from shahrak.urls import urlpatterns as project_urls


def fail(request):
    raise RuntimeError("a fault in the code")


urlpatterns = [path("fails/", fail), *project_urls]
