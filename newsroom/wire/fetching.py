"""Fetch a feed or a photo over HTTP(S): conditional, bounded in time and in size."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests
from django.conf import settings

CHUNK_BYTES = 64 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "Newsroom-Wire/1.0"


class FetchError(Exception):
    """The address could not be fetched; the message says why, for the editors."""


@dataclass(frozen=True)
class Fetched:
    body: bytes
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched | None:
    """GET `url`, or None when the server answers 304 Not Modified.

    Sends If-None-Match / If-Modified-Since when given. Refuses addresses other than
    http(s), answers other than 2xx, and bodies over NEWSROOM_WIRE_MAX_BYTES (read
    in chunks, so a huge or endless answer is cut off). Raises FetchError.
    """
    limit = settings.NEWSROOM_WIRE_MAX_BYTES
    headers = {"User-Agent": USER_AGENT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with _get(url, headers) as response:
            if response.status_code == 304:
                return None
            if not 200 <= response.status_code < 300:
                raise FetchError(
                    f"{url} answered HTTP {response.status_code} {response.reason}."
                )
            body = _read_capped(response, url, limit)
            return Fetched(
                body=body,
                etag=response.headers.get("ETag", "")[:255],
                last_modified=response.headers.get("Last-Modified", "")[:64],
                content_type=response.headers.get("Content-Type", ""),
            )
    except requests.Timeout as error:
        raise FetchError(
            f"{url} did not answer within {settings.NEWSROOM_WIRE_TIMEOUT} s."
        ) from error
    except requests.RequestException as error:
        raise FetchError(f"{url} could not be fetched: {error}.") from error


def _get(url: str, headers: dict):
    """The response to GET `url`, following redirects one by one so that every
    address on the way is checked (`check_address`)."""
    for _hop in range(MAX_REDIRECTS + 1):
        check_address(url)
        response = requests.get(
            url,
            headers=headers,
            timeout=settings.NEWSROOM_WIRE_TIMEOUT,
            stream=True,
            allow_redirects=False,
        )
        if not response.is_redirect:
            return response
        response.close()
        url = urljoin(url, response.headers["Location"])
    raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times.")


def check_address(url: str) -> None:
    """Refuse what is not http(s), and (unless NEWSROOM_WIRE_ALLOW_PRIVATE) any host
    that resolves to a loopback, private, link-local or reserved address."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise FetchError(f"Only http and https addresses are fetched, not {url!r}.")
    if settings.NEWSROOM_WIRE_ALLOW_PRIVATE:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, parts.port or 80)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"{parts.hostname} could not be found ({error}).") from None
    for *_rest, address in found:
        ip = ipaddress.ip_address(address[0])
        if not ip.is_global:
            raise FetchError(
                f"{parts.hostname} is at {ip}, an address on a private or local "
                "network, which wire feeds are not fetched from (an agency on your "
                "own network: NEWSROOM_WIRE_ALLOW_PRIVATE=true)."
            )


def _read_capped(response, url: str, limit: int) -> bytes:
    too_big = FetchError(f"{url} is larger than {limit // 1024} KB; refused.")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_big
    chunks, size = [], 0
    for chunk in response.iter_content(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)
