"""The prediction API against its own OpenAPI document, by a property-based client.

schemathesis generates requests from the schema the server publishes (`/openapi.json`)
and sends them over HTTP to a real `kedro serve` on 127.0.0.1: a request the schema
allows must be answered 2xx, one it forbids 4xx, and none may get a 5xx. Both tasks: the
penguins' species (classification) and body mass (regression), whose schemas differ
(a class and probabilities, or a number). (Hypothesis drives each route directly:
schemathesis' pytest plugin does not run under pytest 9.)
"""

from __future__ import annotations

import signal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.api.test_serving_e2e import serve
from tests.support import copy_project

pytestmark = pytest.mark.e2e

CHECKS = [not_a_server_error, positive_data_acceptance, negative_data_rejection]
ROUTES = [("GET", "/health"), ("GET", "/ready"), ("GET", "/model"), ("POST", "/predict"),
          ("POST", "/predict/batch")]
TAKE_INPUT = [("POST", "/predict"), ("POST", "/predict/batch")]  # the others take none
KINDS = [(*route, GenerationMode.POSITIVE) for route in ROUTES] + [
    (*route, GenerationMode.NEGATIVE) for route in TAKE_INPUT]
EXAMPLES = 50  # per route and kind of request; the same ones on every run


@pytest.fixture(scope="module", params=["trained_project", "trained_regression_project"])
def served(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("schema")
    project = copy_project(request.getfixturevalue(request.param), folder)
    server = serve(project, folder / "server.log")
    yield server
    server.stop(signal.SIGTERM)


@pytest.fixture(scope="module")
def api_schema(served):
    return schemathesis.openapi.from_url(f"{served.base_url}/openapi.json")


def test_the_schema_lists_every_route_and_what_each_takes(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {(op.method.upper(), op.path) for op in operations} == set(ROUTES)
    taking = {(op.method.upper(), op.path) for op in operations
              if op.body or op.query or op.headers or op.path_parameters}
    assert taking == set(TAKE_INPUT)


@pytest.mark.parametrize(("method", "path", "mode"), KINDS,
                         ids=[f"{m} {p} {'allowed' if k.is_positive else 'forbidden'}"
                              for m, p, k in KINDS])
def test_each_route_answers_as_its_schema_says(api_schema, served, method, path, mode):
    operation = api_schema[path][method]

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def answers(case):
        case.call_and_validate(base_url=served.base_url, checks=CHECKS)

    answers()
