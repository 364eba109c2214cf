"""How a refusal says when to try again (newsroom/ratelimit/refusals.py)."""

import pytest

from newsroom.ratelimit.refusals import limited, wait_phrase


@pytest.mark.parametrize(
    ("seconds", "phrase"),
    [
        (0, "1 second"),
        (1, "1 second"),
        (45, "45 seconds"),
        (59.2, "1 minute"),
        (60, "1 minute"),
        (61, "2 minutes"),
        (3599, "60 minutes"),
        (3600, "60 minutes"),
        (7199, "2 hours"),
        (86400, "24 hours"),
    ],
)
def test_a_wait_is_rounded_up_to_a_unit_read_at_a_glance(seconds, phrase):
    assert wait_phrase(seconds) == phrase


def test_a_refusal_says_why_and_when_and_keeps_the_seconds():
    refusal = limited("You are posting too fast.", 119.5)

    assert str(refusal) == "You are posting too fast. Please try again in 2 minutes."
    assert refusal.retry_after == 120
