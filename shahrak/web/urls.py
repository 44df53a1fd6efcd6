from django.urls import path

from . import dashboard, views

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
]
