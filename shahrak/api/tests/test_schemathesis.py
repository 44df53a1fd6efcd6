"""Schemathesis against the served OpenAPI schema, as an administrator and as a provincial officer:
no server error and no status the schema does not document.

Every operation is called with data generated from the schema, both valid and invalid.
Derandomized (a fixed seed) and capped at two examples per operation, so CI gives the same answer.
Measured: 7,104 requests, 0 failures, 6 min 48 s on 2 busy cores (not yet the ~60 s aimed for).
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from shahrak.accounts.models import Role
from shahrak.imports.tests.sample import build_world

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

CALLS = {"admin": 0, "officer": 0}


@pytest.fixture(params=["admin", "officer"])
def token(request, db, admin_user, make_user):
    build_world()
    user = (
        admin_user
        if request.param == "admin"
        else make_user(Role.OFFICER, province="IR-23", username="st-officer")
    )
    return request.param, Token.objects.create(user=user).key


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django closes "old" connections when a request ends; Django's own test client turns that off,
    schemathesis's WSGI client does not, and on PostgreSQL it would close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def report_calls():
    yield
    print(f"\nschemathesis requests: {CALLS}")  # noqa: T201 (the count the issue asks to report)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=2,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, token):
    role, key = token
    CALLS[role] += 1
    # No server error and no status the schema does not document (issue 11's bar).
    case.call_and_validate(
        headers={"Authorization": f"Token {key}"}, checks=[not_a_server_error, status_code_conformance]
    )
