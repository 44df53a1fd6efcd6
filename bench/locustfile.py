"""The users of `bench/load.py` (issue 12, item 10): people clicking through the web app and the API.

Each simulated user is one of the demo users (`shahrak ensure_demo_users`: administrator,
national analyst, Tehran's provincial officer, viewer), signed in by `bench/load.py` beforehand.
With a pause of 1–3 s between clicks (people read a page before the next one), it opens the
dashboard, a list page, a figure's records, the regional balance, an API list or the API's
figures. Years and provinces vary (24 dashboards per reader's scope) and each gunicorn worker
keeps its own figure cache — or, with `bench/load.py --redis`, all of them share one (REDIS_URL) —
so a figure's first asks (in each worker, or at all) are computed and later ones come from the
cache, as in real use.

Run it through `python bench/load.py`, which starts gunicorn and bounds the run; locust alone:
    locust -f bench/locustfile.py --headless -u 20 -r 5 -t 2m --host http://127.0.0.1:8000
"""

import os
import random

from locust import HttpUser, between, task

USERS = ["admin", "analyst", "officer", "viewer"]
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
BIG_LISTS = {"/units/", "/unit-events/", "/projects/", "/payments/", "/estates/", "/workshops/"}
FIGURES = ["workshops_opened", "units_revived", "infrastructure_spending", "idle_units", "land_allocated"]
API = [
    "/api/units/",
    "/api/events/",
    "/api/projects/",
    "/api/disbursements/",
    "/api/estates/",
    "/api/land/contracts/",
]


class Person(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        # Signed in already (bench/load.py makes the demo users' sessions): pages, not password hashing.
        sessions = dict(pair.split("=", 1) for pair in os.environ["SHAHRAK_LOAD_SESSIONS"].split(","))
        self.client.cookies.set("sessionid", sessions[random.choice(USERS)])

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
        # The big lists are paged through; the small ones (targets, returns) have one or two pages.
        page = random.randint(1, 5) if path in BIG_LISTS else 1
        self.client.get(path, params={"page": page}, name="list " + path)

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
