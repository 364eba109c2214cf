"""The JSON API's conventions for every Router: errors, ids, slugs and pages."""

import math
from typing import Annotated

from django.http import Http404
from django.urls import reverse
from django.utils.translation import ngettext
from ninja import Path, Schema

# Most lists of the API (articles, notifications) come 20 to a page.
PAGE_SIZE = 20
# A page number past any real list, refused before it costs a query.
MAX_PAGE = 10_000
# Ids are 64-bit in the database; a larger number names nothing and would make the
# database driver fail (a 500) instead of giving 404.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(..., ge=1, le=MAX_ID)]
# What a slug may hold; anything else (a NUL byte, which PostgreSQL refuses to
# compare, among them) is refused before it reaches the database.
SLUG = r"^[-\w]*$"
# What any operation may answer: bad input, nothing there, too many requests.
COMMON = {400, 404, 422, 429}


# An RFC 9457 problem document, as the API answers every error (`api/http.py`).
# (A comment, not a docstring: the document would show a docstring as its
# description.)
class Problem(Schema):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str = ""


def responses(ok, *codes, status=200) -> dict:
    """An operation's `response=`: `ok` for `status`, a `Problem` for the error
    `codes` it may answer besides the `COMMON` ones."""
    return {status: ok, **dict.fromkeys(sorted(set(codes) | COMMON), Problem)}


def page_number(number: int, total: int, size: int) -> tuple[int, int]:
    """`(number, pages)` for page `number` of `total` items `size` a page; a page
    past the last is a 404 that says how many there are."""
    pages = max(1, math.ceil(total / size))
    if number > pages:
        raise Http404(
            ngettext("There is only %(n)d page.", "There are only %(n)d pages.", pages)
            % {"n": pages}
        )
    return number, pages


def operation_url(request, name: str, **kwargs) -> str:
    """The absolute address of the operation `name` of the API answering `request`.

    A Router does not know the URL namespace of the API that mounts it (`api/`
    chooses it), so it names operations inside the namespace of the request's own."""
    namespace = request.resolver_match.namespace
    return request.build_absolute_uri(reverse(f"{namespace}:{name}", kwargs=kwargs))
