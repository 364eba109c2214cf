"""The parts of bench/targets.py that run inside the app: `manage.py shell` in the
served demo's environment (its database, settings and data directory).

- `site_limits`: the posting and voting limits the bench runs under. The pages group
  (run.py's SETUP) sets the interval between one reader's comments to 0 for its
  single reader; the targets group puts the site's own default back for its run and
  restores what it found afterwards, so writes are measured under the site's rules.
- `make_readers`: verified readers made by the demo loader's own step for its
  commenters (newsroom.demo.comments.load_commenters: users, profiles and verified
  addresses in bulk, no password), signed in on sessions of the site's session
  engine, server-side: the first by `django.contrib.auth.login` (its receivers
  included), the others with what that session holds, their own user id and
  session hash in place of the first's (login() for each of thousands takes
  minutes on a busy machine; signing in through the form would also need an Argon2
  hash per reader, and allauth's sign-in rate limit would refuse most of them from
  one address). Each reader gets a CSRF secret of its own (sent as cookie and form
  field, as a browser that fetched one does) and a network address of its own
  (X-Forwarded-For).
- `render_costs`: CPU per request through Django's own handler (the test Client:
  middleware, view, templates; not the edge in front of it nor the compression of
  the copy it stores), median of BENCH_RENDERS, with every Django cache emptied
  before each render or kept warm; the queries of a 404.
"""

import json
import os
from pathlib import Path

from newsroom.demo.server import manage

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
RENDERS = int(os.environ.get("BENCH_RENDERS", "5" if QUICK else "10"))
FIRST_ADDRESS = 0x0F0000  # readers' X-Forwarded-For from 10.15.0.0 (reads use 10.0.x)
NAME = "Bench Reader {:05d}"


def shell(code: str, env: dict, **names) -> dict:
    """Run `code` in the app's shell with `names` assigned; its BENCH_JSON line."""
    assigned = "".join(f"{name} = {value!r}\n" for name, value in names.items())
    result = manage("shell", "-v", "0", "-c", assigned + code, env=env, timeout=1800)
    line = next(x for x in result.stdout.splitlines() if x.startswith("BENCH_JSON"))
    return json.loads(line.removeprefix("BENCH_JSON"))


LIMITS = """
import json
from wagtail.models import Site
from newsroom.comments.models import CommentSettings
from newsroom.moderation.services import rules_for

found = {}
for site in Site.objects.order_by("pk"):
    rules = CommentSettings.for_site(site)
    found[str(site.pk)] = rules.min_interval_seconds
    wanted = SET.get(str(site.pk)) if SET else None
    if wanted is None and SET is not None:
        wanted = CommentSettings._meta.get_field("min_interval_seconds").default
    if wanted is not None and wanted != rules.min_interval_seconds:
        rules.min_interval_seconds = wanted
        rules.save(update_fields=["min_interval_seconds"])
site = Site.objects.get(hostname=HOST)
moderation = rules_for(site)
limits = {
    "min_interval_seconds": CommentSettings.for_site(site).min_interval_seconds,
    **{
        name: getattr(moderation, name)
        for name in (
            "comments_per_minute", "comments_per_hour", "votes_per_minute",
            "votes_per_hour", "ip_factor", "premoderation",
        )
    },
}
print("BENCH_JSON", json.dumps({"before": found, "limits": limits}))
"""


def site_limits(env, host, restore=None) -> dict:
    """Put the site's default interval between comments back (or `restore` what
    an earlier call returned as "before"); returns {"before", "limits"}."""
    return shell(LIMITS, env, SET=restore if restore is not None else {}, HOST=host)


READERS = """
import json, time
from importlib import import_module
from types import SimpleNamespace
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model, login
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone
from django.utils.crypto import get_random_string
from wagtail.models import Site
from newsroom.comments.models import Comment, Thread
from newsroom.demo import content
from newsroom.demo.comments import load_commenters
from newsroom.demo.server import forwarded_for

started = time.perf_counter()
sites = {s["key"]: Site.objects.get(hostname=s["hostname"]) for s in content.SITES}
names = [NAME.format(n) for n in range(COUNT)]
network = SimpleNamespace(
    content=SimpleNamespace(COMMENTERS=[(name, SITE) for name in names]),
    sites=sites,
    now=timezone.now(),
    count=lambda what, created: None,
)
load_commenters(network)
users = get_user_model().objects.in_bulk(names, field_name="username")
made = time.perf_counter() - started
engine = import_module(settings.SESSION_ENGINE)
request = RequestFactory().get("/", REMOTE_ADDR=forwarded_for(FIRST))
request.session = engine.SessionStore()
login(request, users[names[0]], backend=settings.AUTHENTICATION_BACKENDS[0])
request.session.save()
signed_in = dict(request.session.items())  # all that login() and its receivers keep
keys = [request.session.session_key]
with transaction.atomic():
    for name in names[1:]:
        session = engine.SessionStore()
        session.update(signed_in)
        session[SESSION_KEY] = str(users[name].pk)
        session[HASH_SESSION_KEY] = users[name].get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
lines = [
    f"{key} {get_random_string(32)} {forwarded_for(FIRST + n)}"
    for n, key in enumerate(keys)
]
open(READERS_FILE, "w").write("\\n".join(lines) + "\\n")
crowd = Thread.objects.get(page_id=CROWD)
ids = Comment.objects.filter(thread=crowd, status="published").order_by("pk")
ids = list(ids.values_list("pk", flat=True))
open(IDS_FILE, "w").write("\\n".join(map(str, ids)) + "\\n")
print("BENCH_JSON", json.dumps({
    "readers": len(lines), "comments": len(ids), "made_s": made,
    "signed_in_s": time.perf_counter() - started - made,
}))
"""


def make_readers(env, work: Path, count: int, crowd_page_id: int) -> dict:
    """`count` verified readers signed in, written to work/readers.txt (one a line:
    session key, CSRF secret, address); the long thread's published comments (the
    votes' targets) to work/comment-ids.txt."""
    about = shell(
        READERS,
        env,
        COUNT=count,
        NAME=NAME,
        SITE="ledger",
        FIRST=FIRST_ADDRESS,
        CROWD=crowd_page_id,
        READERS_FILE=str(work / "readers.txt"),
        IDS_FILE=str(work / "comment-ids.txt"),
    )
    return {**about, "file": work / "readers.txt", "ids": work / "comment-ids.txt"}


RENDER = """
import json, statistics, time
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def empty():
    for alias in settings.CACHES:
        caches[alias].clear()


def client_for(reader):
    client = Client(HTTP_HOST=HOST)
    if reader:
        client.force_login(get_user_model().objects.get(username=reader))
    return client


def cost(path, *, cold, reader=None, cookies=None, expect=200, fresh_path=False):
    # One request to warm what a running server holds anyway (imports, templates).
    client = client_for(reader)
    times = []
    for n in range(RUNS + 2):
        if not reader:
            client.cookies.clear()
        for name, value in (cookies or {}).items():
            client.cookies[name] = value
        asked = path.format(n=n) if fresh_path else path
        if cold:
            empty()
        if n == RUNS + 1:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(asked)
            queries = len(captured)
        else:
            started = time.process_time()
            response = client.get(asked)
            used = time.process_time() - started
        if response.status_code != expect:
            return {"error": f"GET {asked} answered {response.status_code}"}
        if 0 < n <= RUNS:
            times.append(used * 1000)
    return {"ms": statistics.median(times), "queries": queries}


article = PATHS["article"]
found = {
    "anonymous_cold": cost(article, cold=True),
    "anonymous_warm": cost(article, cold=False),
    "signed_cold": cost(article, cold=True, reader=READER),
    "overlay_warm": cost(PATHS["overlay"], cold=False, reader=READER,
                         cookies={"nr_overlay": "1"}),
    "overlay_cold": cost(PATHS["overlay"], cold=True, reader=READER,
                         cookies={"nr_overlay": "1"}),
    "missing_same": cost("/no-such-page/", cold=False, expect=404),
    "missing_new": cost("/no-such-page-{n}/", cold=False, expect=404, fresh_path=True),
}
print("BENCH_JSON", json.dumps(found))
"""


def render_costs(env, host: str, article: str, overlay: str) -> dict:
    """CPU ms and queries per request, by variant (see RENDER)."""
    return shell(
        RENDER,
        env,
        HOST=host,
        RUNS=RENDERS,
        READER=NAME.format(0),
        PATHS={"article": article, "overlay": overlay},
    )
