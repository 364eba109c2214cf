"""What the API tests share: how apps call the API, and what an error looks like."""

from ..services import issue_token

API = "/api/v1"
PROBLEM_FIELDS = {"type", "title", "status", "detail", "instance"}


def bearer(token: str) -> dict:
    """Request headers for a personal API token, for the Django test client."""
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def token_for(reader, name: str = "Reading app") -> str:
    """A new personal token for `reader`, as the token page makes it."""
    _row, token = issue_token(reader, name)
    return token


def post_json(client, path: str, data, **extra):
    return client.post(path, data, content_type="application/json", **extra)


def comment_on(article, client, body: str, **extra):
    """POST a comment to the API; `extra` carries headers such as a token."""
    return post_json(
        client, f"{API}/articles/{article.pk}/comments", {"body": body}, **extra
    )


def assert_problem(response, status: int, detail: str | None = None) -> dict:
    """An RFC 9457 problem document for `status`, never cached; returns its body.

    `detail`, when given, must be part of the reader-facing explanation."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert PROBLEM_FIELDS <= set(body), body
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"].strip()
    assert body["instance"] == response.wsgi_request.path
    if detail is not None:
        assert detail in body["detail"], body["detail"]
    return body
