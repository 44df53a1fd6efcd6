"""Schemathesis against the served OpenAPI schema: no request it makes up may end in a server error.

Every operation is called, as an administrator (who reaches furthest into the write path), with
data generated from the schema, both valid and invalid. Derandomized and capped so that CI gives
the same answer in about half a minute.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from shahrak.imports.tests.sample import build_world

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def token(db, admin_user):
    build_world()
    return Token.objects.create(user=admin_user).key


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Django closes "old" connections when a request ends; Django's own test client turns that off,
    schemathesis's WSGI client does not, and on PostgreSQL it would close the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])
