"""What every test of a rate limit's refusal checks, whichever door it comes from."""

from newsroom.ratelimit.refusals import try_again


def retry_after(response, window: int) -> int:
    """The response's Retry-After: whole seconds, at most the limit's window."""
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= window, seconds
    return seconds


def refusal(lead: str, response, window: int) -> str:
    """The message a refusal with `lead` shows: when to try again, in the words
    that match its Retry-After (`2 minutes` for 120 s; `45 seconds`)."""
    return f"{lead} {try_again(retry_after(response, window))}"
