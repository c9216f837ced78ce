"""schemathesis over the whole OpenAPI schema: no 5xx, no answer that breaks the schema.

Bounded: a few examples per operation, signed in as an operator (who reaches the most
code); the access test covers the other roles.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from quanzi.app import create_app
from tests.factories import auth, make_product, make_supplier, make_user

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture
def operator_headers() -> dict[str, str]:
    make_product(make_supplier())
    return auth(make_user("operator"))


@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms(case, operator_headers):
    case.call_and_validate(headers=operator_headers, checks=CHECKS)
