"""The OpenAPI document: the committed copy is the one the API serves, and the API
keeps to it when schemathesis sends it generated requests, valid and invalid."""

import json
from contextlib import contextmanager
from pathlib import Path

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from conftest import LEDGER
from newsroom.comments.tests.factories import comment as written

from .helpers import API, token_for

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.json"
# Generated requests per operation and kind (valid, invalid): enough to find a
# crash or a schema break in each operation while the whole run stays near a minute.
EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def differences(live, committed, where="") -> list[str]:
    """JSON pointers where two documents differ (a few are enough to see why)."""
    if isinstance(live, dict) and isinstance(committed, dict):
        found = []
        for key in sorted(set(live) | set(committed)):
            pointer = f"{where}/{key}"
            if key not in live or key not in committed:
                found.append(pointer + (" (only live)" if key in live else " (gone)"))
            else:
                found += differences(live[key], committed[key], pointer)
        return found
    return [] if live == committed else [where or "/"]


def test_the_committed_document_is_the_one_the_api_serves(client, db):
    response = client.get(f"{API}/openapi.json", HTTP_HOST=LEDGER)

    assert response.status_code == 200
    live = response.json()
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    changed = differences(live, committed)
    assert not changed, (
        "The API no longer matches docs/api/openapi.json at "
        + ", ".join(changed[:10])
        + ". If the change is intended, run `make openapi` and commit the new "
        "document with the change."
    )


def test_the_document_names_every_operation_and_schema_plainly(client, db):
    response = client.get(f"{API}/openapi.json", HTTP_HOST=LEDGER)

    document = response.json()
    names = list(document["components"]["schemas"])
    operations = [
        (method.upper(), path, operation["operationId"])
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]
    assert response.status_code == 200
    # Every app's Router is mounted, each path once, in v1's order.
    assert [path.removeprefix(API) for path in document["paths"]] == [
        "/sites",
        "/articles",
        "/articles/{article_id}",
        "/articles/{article_id}/comments",
        "/comments/{comment_id}/vote",
        "/comments/{comment_id}/report",
        "/comment-counts",
        "/readers/{reader_id}",
        "/me",
        "/notifications",
        "/notifications/read",
    ]
    assert ("POST", f"{API}/articles/{{article_id}}/comments") in {
        (method, path) for method, path, _id in operations
    }
    # A schema's name is its class's: no trailing underscore dodging a model's
    # name, and no module path pydantic adds when two classes share a name.
    assert [name for name in names if name.endswith("_") or "__" in name] == []
    assert all(name.isidentifier() and name[0].isupper() for name in names)
    assert {"ArticleListPage", "CommentListPage", "NotificationListPage"} <= set(names)
    operation_ids = [operation_id for _method, _path, operation_id in operations]
    assert len(set(operation_ids)) == len(operation_ids) == 12


def test_the_documentation_page_reads_the_live_document(client, db):
    response = client.get("/api/docs", HTTP_HOST=LEDGER)

    assert response.status_code == 200
    assert f"{API}/openapi.json" in response.content.decode()


def test_generated_requests_get_documented_answers_and_no_server_error(
    network, article, kenji, hana, api_rates
):
    # 429s would answer most generated requests and hide everything else.
    api_rates("100000/min", "100000/min")
    comment = written(article, hana, "Something to vote on and report.")
    token = token_for(kenji, "Schemathesis")
    with connection_kept():
        schema = schemathesis.openapi.from_wsgi(
            f"{API}/openapi.json", WSGIHandler(), headers={"Host": LEDGER}
        )
    # Ids that name something, so generated requests also reach past the 404s.
    known = {"article_id": article.pk, "comment_id": comment.pk, "reader_id": hana.pk}
    failures = []

    for result in schema.get_all_operations():
        operation = result.ok()
        ids = {p.name: known[p.name] for p in operation.path_parameters}
        modes = [GenerationMode.POSITIVE]
        if list(operation.iter_parameters()) or operation.body:
            modes.append(GenerationMode.NEGATIVE)  # nothing to get wrong otherwise
        for mode in modes:
            cases = [operation.as_strategy(mode)]
            if ids:
                cases.append(operation.as_strategy(mode, path_parameters=ids))
            try:
                with connection_kept():
                    _exercise(st.one_of(cases), token)
            except (Exception, schemathesis.errors.FailureGroup) as error:
                failures.append(f"{operation.label} ({mode.value}):\n{error}")

    assert not failures, "\n\n".join(failures)


@contextmanager
def connection_kept():
    """Serve requests in-process without closing the database connection that holds
    the test's transaction at their start and end, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _exercise(cases, token):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases, signed_in=st.booleans())
    def run(case, signed_in):
        case.call_and_validate(
            base_url=f"http://{LEDGER}",
            headers={"Authorization": f"Bearer {token}"} if signed_in else {},
            checks=CHECKS,
        )

    run()
