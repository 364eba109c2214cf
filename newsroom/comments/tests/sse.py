"""A reader of Server-Sent Events for tests against the served demo: one connection
read in a thread, each event that carries data queued as it arrives."""

import json
import queue
import socket
import threading
import time

import requests

from conftest import LEDGER


class Stream:
    """Reads one SSE connection in a thread; events arrive on `.events`.

    `Stream(url, headers)` connects as a visitor to the Ledger; with `session`
    (a signed-in requests.Session) it connects as that reader."""

    def __init__(self, url, headers=None, *, session=None):
        if session is None:
            session = requests.Session()
            session.headers["Host"] = LEDGER
        self.events = queue.Queue()
        self.response = session.get(url, headers=headers, stream=True, timeout=30)
        assert self.response.status_code == 200
        assert self.response.headers["Content-Type"].startswith("text/event-stream")
        self._socket = self.response.raw.connection.sock
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        event = {}
        try:
            for line in self.response.iter_lines(decode_unicode=True):
                if line == "":
                    if "data" in event:
                        self.events.put(event)
                    event = {}
                elif not line.startswith(":"):
                    field, _colon, value = line.partition(": ")
                    event[field] = value
        except (requests.RequestException, AttributeError):
            pass  # closed by the test: urllib3 drops the socket under the reader

    def next(self, kind, timeout=15.0) -> dict:
        """The data of the next `kind` event (others are passed over), with its id
        as `event_id` when it has one."""
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                break
            if event.get("event") == kind:
                known = {"event_id": int(event["id"])} if "id" in event else {}
                return {**known, **json.loads(event["data"])}
        raise AssertionError(f"no {kind} event within {timeout} s")

    def close(self):
        # Closing the response waits for the reader thread's read, which returns
        # only when the server next writes (a heartbeat, up to 15 s away): ending
        # the connection first makes that read return at once.
        self._socket.shutdown(socket.SHUT_RDWR)
        self.response.close()
