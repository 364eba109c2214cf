"""A database out of reach is a 503 saying so, not a 500 (edge/outages.py).

The fault suite (faults/test_postgres_restarted.py) crashes a real PostgreSQL under
load; these tests pin the answers themselves."""

import json

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from newsroom.edge import outages


def failing(error, request):
    """The project's handler500, called as Django calls it: inside the except."""
    try:
        raise error
    except Exception:  # noqa: BLE001
        return outages.server_error(request)


def test_a_page_without_its_database_is_a_503_saying_when_to_retry():
    request = RequestFactory().get("/world/", HTTP_ACCEPT="text/html")
    response = failing(OperationalError("connection refused"), request)

    assert response.status_code == 503
    assert response["Retry-After"] == str(outages.RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "cannot reach its database" in page
    assert "connection refused" not in page  # nothing of the error is shown


def test_the_api_without_its_database_answers_a_problem_document():
    request = RequestFactory().post("/api/v1/comments/1/vote")
    response = failing(OperationalError("server closed the connection"), request)

    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    problem = json.loads(response.content)
    assert problem["status"] == 503
    assert "may not have been completed" in problem["detail"]


@pytest.mark.django_db
def test_any_other_error_is_still_the_500_page():
    response = failing(ValueError("a bug"), RequestFactory().get("/world/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
