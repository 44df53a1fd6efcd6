"""The users of `bench/load.py` (issue 12, item 10): people clicking through the web app and the API.

Each simulated user signs in as one of the demo users (`shahrak ensure_demo_users`: administrator,
national analyst, Tehran's provincial officer, viewer), then, with a pause of 1–3 s between clicks
(people read a page before the next one), opens the dashboard, a list page, a figure's records, the
regional balance or an API list / the API's figures. Years and filters vary, so the figure cache is
not always warm: about half the dashboard and figure requests ask for a year or province another
user has not asked for since the last start.

Run it through `python bench/load.py`, which starts gunicorn and bounds the run; locust alone:
    locust -f bench/locustfile.py --headless -u 20 -r 5 -t 2m --host http://127.0.0.1:8000
"""

import random
import re

from locust import HttpUser, between, task

USERS = [
    ("admin", "shahrak-admin"),
    ("analyst", "shahrak-analyst"),
    ("officer", "shahrak-officer"),
    ("viewer", "shahrak-viewer"),
]
YEARS = [1399, 1400, 1401, 1402]
PROVINCES = ["", "IR-23", "IR-07", "IR-10", "IR-04", "IR-08"]
LISTS = [
    "/units/",
    "/unit-events/",
    "/projects/",
    "/payments/",
    "/estates/",
    "/workshops/",
    "/land/contracts/",
    "/land/applications/",
    "/targets/",
    "/returns/",
]
FIGURES = ["workshops_opened", "units_revived", "jobs_restored", "infrastructure_spending", "idle_units"]
API = [
    "/api/units/",
    "/api/events/",
    "/api/projects/",
    "/api/disbursements/",
    "/api/estates/",
    "/api/land/contracts/",
]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        username, password = random.choice(USERS)
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
        )

    @task(4)
    def dashboard(self):
        params = {"year": random.choice(YEARS)}
        province = random.choice(PROVINCES)
        if province:
            params["province"] = province
        self.client.get("/", params=params, name="dashboard")

    @task(4)
    def list_page(self):
        path = random.choice(LISTS)
        self.client.get(path, params={"page": random.randint(1, 5)}, name="list " + path)

    @task(2)
    def figure(self):
        name = random.choice(FIGURES)
        self.client.get(f"/figures/{name}/", params={"year": random.choice(YEARS)}, name="figure records")

    @task(1)
    def balance(self):
        self.client.get("/balance/", params={"year": random.choice(YEARS)}, name="balance")

    @task(3)
    def api(self):
        if random.random() < 0.3:
            self.client.get("/api/metrics/", params={"year": random.choice(YEARS)}, name="api metrics")
        else:
            path = random.choice(API)
            self.client.get(path, name="api " + path)
