# Allianssi. Quick start: `make run` serves the app, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := DEBUG=1 $(PY) manage.py
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test worker setup lint format messages bench loadtest clean a11y-report screenshots

run: setup
	@$(MANAGE) migrations_compatible
	$(MANAGE) migrate --noinput
	$(MANAGE) bootstrap_alliance --demo
	$(MANAGE) runserver 127.0.0.1:8000

# --dist worksteal: each worker starts on one contiguous share of the tests, so that a
# world built once per class or module (the fuzz's, the accessibility pages') is seldom
# built by both, and a worker that runs out takes half of the other's rest, so that no
# slow file tails the run.
test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	DEBUG=1 $(PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

# A real worker with Celery beat, for a set-up with CELERY_BROKER_URL (see README).
worker: setup
	$(VENV)/bin/celery -A alliance worker --beat --loglevel=INFO \
		--schedule=var/celerybeat-schedule \
		--max-tasks-per-child=$${CELERY_MAX_TASKS_PER_CHILD:-50} \
		--queues=$${CELERY_QUEUE:-allianssi}

.PHONY: serve backup restore

# The production start of the web process: deploy checks, migrations, static files,
# then gunicorn on GUNICORN_SOCKET (see docs/deployment.md). No DEBUG here.
serve: setup
	scripts/serve

# The database and the stored files into a new directory under BACKUP_ROOT.
backup: setup
	$(PY) manage.py backup

# A backup into an empty database and storage: make restore BACKUP=var/backups/allianssi-…
restore: setup
	@test -n "$(BACKUP)" || \
		{ echo "Name the backup to restore: make restore BACKUP=<its directory>" >&2; exit 1; }
	$(PY) manage.py restore "$(BACKUP)"

# Pages through gunicorn (DEBUG off, one worker) at scale 0.1 and 1, documents and the
# Celery round trip on PostgreSQL and Redis, into bench/results.json and
# docs/benchmarks.md (databases, a queue and a cache prefix of its own).
bench: setup
	$(PY) bench/run.py

# 50 users of locust for 60 s against gunicorn on the scale-1 data, into the same files.
loadtest: setup
	$(PY) bench/loadtest.py

# axe-core over every main page of each role (fi, sv; 1280 and 375 px), written to
# docs/accessibility.md; the tests' own results stay under var/accessibility/.
a11y-report: setup
	rm -rf var/accessibility
	-DEBUG=1 $(PY) -m pytest -q -p no:cacheprovider -n 2 tests/e2e/test_accessibility.py
	$(PY) scripts/accessibility_report.py

# The main pages of each role from the example data, as PNGs in docs/screenshots/.
screenshots: setup
	$(PY) scripts/screenshots.py

setup: .system-packages $(VENV)/.installed node_modules/.installed $(MO_FILES) | var

.system-packages: scripts/ensure-system-packages
	scripts/ensure-system-packages
	@touch $@

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Allianssi needs Python 3.11 or newer; $(PYTHON) is older (set PYTHON=python3.11)." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po
	msgfmt --check-format -o $@ $<

var:
	mkdir -p var/media var/static

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: setup
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the catalogues after changing source strings; translate, then commit the .po files.
messages: setup
	$(MANAGE) makemessages --no-obsolete --no-location --ignore=.venv --ignore=node_modules --ignore=var -l fi -l sv -l en

clean:
	rm -rf $(VENV) node_modules var .system-packages $(MO_FILES)
