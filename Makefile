# Newsroom: `make demo` serves the demo network, `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
VENV := .venv
PY := $(VENV)/bin/python
# demo and serve queue background tasks (alert emails, Wagtail's jobs) in the
# database and run a worker beside the site; see docs/deployment.md.
NEWSROOM_TASKS ?= database
# The proxies in front of `serve` whose X-Forwarded-For is believed, e.g. 127.0.0.1
# for nginx on this machine (docs/configuration.md). The app and uvicorn read the
# same list; with none, neither reads proxy headers. The demo trusts loopback, as
# its simulated readers send their addresses that way (newsroom/demo/server.py).
NEWSROOM_TRUSTED_PROXIES ?=
UVICORN_PROXY := $(if $(NEWSROOM_TRUSTED_PROXIES),--proxy-headers \
	--forwarded-allow-ips "$(NEWSROOM_TRUSTED_PROXIES)",--no-proxy-headers)

.PHONY: faults install demo serve cluster test coverage lint openapi bench clean-demo

install: $(VENV)/.installed

# uv is installed with pip when missing; it then builds .venv from uv.lock.
$(VENV)/.installed: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m uv --version >/dev/null 2>&1 \
		|| $(PYTHON) -m pip install --quiet --user uv \
		|| $(PYTHON) -m pip install --quiet --break-system-packages --user uv
	$(UV) sync --frozen
	@touch $@

# The demo's stand-in for Facebook (newsroom/demo/facebook.py) listens on the next
# port, so the sign-in page's Facebook block works without a Facebook app; `make demo
# NEWSROOM_DEMO_FACEBOOK=` leaves it out. `serve` starts it whenever the variable is set.
DEMO_FACEBOOK_PORT ?= $(shell echo $$(($(PORT) + 1)))
demo: export NEWSROOM_DEMO_FACEBOOK ?= http://127.0.0.1:$(DEMO_FACEBOOK_PORT)
DEMO_TRUSTED_PROXIES := 127.0.0.1,::1
demo: export NEWSROOM_TRUSTED_PROXIES := $(or $(NEWSROOM_TRUSTED_PROXIES),$(DEMO_TRUSTED_PROXIES))
demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_demo --port $(PORT)
	$(MAKE) --no-print-directory serve

# Production-grade serving: uvicorn workers for the site, the scheduler (publishing,
# digests, resuming alert sends, wire feeds; its first pass waits for the site, which
# serves the demo's sample feed) and, with NEWSROOM_TASKS=database, the task worker.
serve: install
	@trap 'kill 0' EXIT INT TERM; \
	export NEWSROOM_TASKS=$(NEWSROOM_TASKS); \
	export NEWSROOM_TRUSTED_PROXIES="$(NEWSROOM_TRUSTED_PROXIES)"; \
	(sleep 5; exec $(PY) manage.py run_scheduler) & \
	if [ "$(NEWSROOM_TASKS)" = database ]; then $(PY) manage.py db_worker --no-startup-delay & fi; \
	if [ -n "$$NEWSROOM_DEMO_FACEBOOK" ]; then $(PY) manage.py run_facebook_standin & fi; \
	$(VENV)/bin/uvicorn newsroom.asgi:application --host $(HOST) --port $(PORT) \
		--workers $(WORKERS) $(UVICORN_PROXY) --no-server-header \
		--timeout-graceful-shutdown 5

# The production topology on this machine: PostgreSQL, Redis, two app servers, the
# task worker, the scheduler and Varnish in front on CLUSTER_PORT (deploy/cluster.py,
# docs/deployment.md). DATABASE_URL and REDIS_URL pick the services.
CLUSTER_PORT ?= 8080
cluster: install
	$(PY) deploy/cluster.py --port $(CLUSTER_PORT) --workers $(WORKERS)

# The suite runs on every core (pytest-xdist, one test database per worker) and
# prints its slowest tests, so a slow one shows up the day it lands.
TEST_WORKERS ?= auto
test: install lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=25

# The fault suite (faults/): the production topology on PostgreSQL and Redis of its
# own, crashed and restarted under load from a second process; .ci/run runs it after
# `make test`. Needs PostgreSQL's server programs, redis-server and varnishd.
faults: install
	$(PY) -m pytest faults -m faults --durations=10

# Line coverage of newsroom/ by the suite (code run in child processes not counted).
coverage: install
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup --cov=newsroom \
		--cov-report=term:skip-covered

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Write the API's OpenAPI document to docs/api/openapi.json; a test compares it with
# the live one, so a change to the API shows up as a reviewed diff of this file.
openapi: install
	$(PY) manage.py export_openapi_schema --api newsroom.api.v1.api --indent 2 \
		--output docs/api/openapi.json
	@echo >> docs/api/openapi.json

# Serve the demo as `make demo` does and load it with wrk; writes bench/RESULTS.md.
# By default the `targets` group: issue 15's Targets table with the ceilings measured
# in the same run (bench/targets.py, ~15 min; BENCH_QUICK=1 for a short trial run).
# BENCH picks other groups (targets pages api trending reads votes alerts, or all), e.g.
# `make bench BENCH="api trending"`. `reads` sends BENCH_READS (10,000) readers' GETs
# to two workers sharing Redis and checks that the scheduler's flush counts every one;
# `votes` sends 1,000 concurrent votes a round on one comment and checks the counts.
BENCH ?=
bench: install
	$(PY) bench/run.py $(BENCH)

clean-demo:
	rm -rf var
