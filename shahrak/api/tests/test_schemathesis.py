"""Schemathesis against the served OpenAPI schema: no request it makes up may end in a server error.

Every operation is called, as an administrator (who reaches furthest into the write path), with
data generated from the schema, both valid and invalid. Derandomized and capped so that CI gives
the same answer in about half a minute.
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from shahrak.imports.tests.sample import build_world

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def token(db, admin_user):
    build_world()
    return Token.objects.create(user=admin_user).key


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
