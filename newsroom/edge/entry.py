"""A shared response as the page cache keeps it: compressed once, served many times."""

import gzip
import time
from dataclasses import dataclass, field

import brotli

# Headers the cache sets itself on every answer, or never repeats.
OWN_HEADERS = {
    b"etag",
    b"vary",
    b"content-length",
    b"content-encoding",
    b"date",
    b"x-newsroom-same-as",  # answers.SAME_AS: for the cache alone
}
# Too small to be worth compressing (and smaller than the headers it would add).
COMPRESS_FROM = 512
ENCODINGS = ("br", "gzip")
# Many addresses answer the same bytes (every missing address of a site gets its one
# 404 page): the last bodies compressed are kept, so each is compressed once.
COMPRESSED_KEPT = 64
_compressed: dict = {}


def _directive(cache_control: str, name: str) -> int | None:
    for part in cache_control.split(","):
        key, _, value = part.strip().partition("=")
        if key.lower() == name and value.isdigit():
            return int(value)
    return None


@dataclass
class Entry:
    status: int
    headers: list  # [(name, value)] as bytes, lower-case names, without OWN_HEADERS
    bodies: dict  # encoding ("identity", "gzip", "br") -> bytes
    etag: str  # the identity body's strong ETag, without quotes
    keys: frozenset
    stored_at: float
    fresh_until: float
    stale_until: float
    last_modified: bytes | None = None
    size: int = field(init=False)

    def __post_init__(self):
        self.size = sum(len(body) for body in self.bodies.values()) + 512

    @classmethod
    def from_response(cls, status: int, headers: list, body: bytes, surrogate: bytes):
        """An entry for a complete shared response, or None if it may not be kept."""
        named = dict(headers)
        if named.get(b"x-newsroom-shared") != b"1" or b"set-cookie" in named:
            return None
        cache_control = named.get(b"cache-control", b"").decode("latin-1")
        ttl = _directive(cache_control, "s-maxage")
        if not ttl or "private" in cache_control or "no-store" in cache_control:
            return None
        grace = _directive(cache_control, "stale-while-revalidate") or 0
        etag = named.get(b"etag", b"").strip(b'"').decode("latin-1")
        bodies = {"identity": body}
        if len(body) >= COMPRESS_FROM:
            bodies.update(_compress(body))
        now = time.time()
        keys = named.get(surrogate, b"").decode("latin-1").split()
        return cls(
            status=status,
            headers=[(n, v) for n, v in headers if n not in OWN_HEADERS],
            bodies=bodies,
            etag=etag,
            keys=frozenset(keys),
            stored_at=now,
            fresh_until=now + ttl,
            stale_until=now + ttl + grace,
            last_modified=named.get(b"last-modified"),
        )

    def encoding_for(self, accept_encoding: str) -> str:
        accepted = set()
        for part in accept_encoding.lower().split(","):
            name, _, params = part.partition(";")
            quality = params.strip().removeprefix("q=") if params else "1"
            try:
                if float(quality) > 0:
                    accepted.add(name.strip())
            except ValueError:
                continue
        for encoding in ENCODINGS:
            if encoding in accepted and encoding in self.bodies:
                return encoding
        return "identity"

    def etag_for(self, encoding: str) -> str:
        """Strong ETags differ by representation (RFC 9110 8.8.3)."""
        suffix = "" if encoding == "identity" else f"-{encoding}"
        return f'"{self.etag}{suffix}"'

    def matches(self, if_none_match: str) -> bool:
        """Any of this entry's representations' ETags, weak or strong, or `*`."""
        if if_none_match.strip() == "*":
            return True
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return any(
            self.etag_for(encoding) in tags for encoding in ("identity", *ENCODINGS)
        )


def _compress(body: bytes) -> dict:
    """gzip and brotli of `body`, kept for the next answer with the same bytes."""
    compressed = _compressed.get(body)
    if compressed is None:
        compressed = {
            "gzip": gzip.compress(body, compresslevel=6, mtime=0),
            "br": brotli.compress(body, quality=5),
        }
        if len(_compressed) >= COMPRESSED_KEPT:
            _compressed.clear()
        _compressed[body] = compressed
    return compressed
