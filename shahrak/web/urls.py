from django.urls import path

from . import dashboard, public, views

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dashboard/trend.json", dashboard.trend, name="trend"),
    path("dashboard/map.json", dashboard.province_map, name="map"),
    path("balance/", dashboard.balance, name="balance"),
    path("figures/<str:name>/", dashboard.drilldown, name="drilldown"),
    path("language/", views.set_language, name="set_language"),
    path("money-unit/", views.set_money_unit, name="money_unit"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", views.catalogue_estate, name="catalogue_estate"),
    # The investor's side without an account: apply for a free plot, follow the application.
    path("catalogue/<str:code>/apply/", public.apply, name="catalogue_apply"),
    path("application-status/", public.application_lookup, name="application_lookup"),
    path("application-status/<str:tracking>/", public.application_status, name="application_status"),
]
