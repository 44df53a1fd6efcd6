from django.urls import path

from . import views

app_name = "returns"

urlpatterns = [
    path("returns/", views.MonthlyReturnListView.as_view(), name="monthlyreturn_list"),
    path("returns/<int:pk>/", views.monthly_return, name="monthlyreturn"),
    path("returns/<int:pk>/history/", views.MonthlyReturnHistoryView.as_view(), name="monthlyreturn_history"),
    path("returns/<str:province>/<int:year>/<int:month>/", views.month, name="month"),
]
