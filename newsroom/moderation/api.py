"""The API's reports of comments to the moderators (mounted by `api/`)."""

from typing import Literal

from ninja import Field, Router, Schema, Status

from newsroom.comments.selectors import get_listed_comment
from newsroom.ratelimit.clients import client_address
from newsroom.rest.auth import signed_in
from newsroom.rest.conventions import Id, responses

from . import services
from .models import Report

router = Router()


class ReportIn(Schema):
    reason: Literal[tuple(Report.Reason.values)]  # type: ignore[valid-type]
    note: str = Field("", max_length=5000)


class ReportOut(Schema):
    received: bool


@router.post(
    "/comments/{comment_id}/report",
    response=responses(ReportOut, 401, 403, status=201),
    auth=signed_in,
    tags=["comments"],
    url_name="report",
)
def report(request, comment_id: Id, payload: ReportIn):
    """Report a comment to the moderators, with a reason (and a note for
    `other`)."""
    comment = get_listed_comment(comment_id)
    services.report_comment(
        comment,
        reporter=request.user,
        reason=payload.reason,
        note=payload.note,
        ip=client_address(request),
    )
    return Status(201, {"received": True})
