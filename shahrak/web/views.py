from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def dashboard(request):
    # Placeholder until the dashboard lands (issue 4).
    return HttpResponse("Shahrak")
