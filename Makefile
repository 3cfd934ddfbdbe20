# Yimen: `make demo` serves the demo town; `make test` runs the whole suite (SQLite, PostgreSQL,
# browser, API fuzzing). Both set up what they need first.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/yimen
export YIMEN_DEMO_PASSWORD ?= Yimen@2026

.PHONY: demo test test-sqlite test-postgres lint bench scale-demo setup setup-dev serve clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian packages: a CJK font embedded in generated PDFs, and chromium for the browser tests
# (never a downloaded browser).
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
define apt_install
	@[ "$$(id -u)" = 0 ] || { echo "请以 root 运行，或先安装：apt-get install $(1)"; exit 1; }
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(1) >/dev/null
endef

$(CJK_FONT):
	$(call apt_install,fonts-wqy-microhei)

/usr/bin/chromium:
	$(call apt_install,chromium)

setup: $(VENV)/.runtime node_modules/.installed $(CJK_FONT)
setup-dev: $(VENV)/.dev node_modules/.installed $(CJK_FONT) /usr/bin/chromium

demo: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py seed_demo
	@echo "一门演示：http://127.0.0.1:8000/  （Ctrl+C 结束）"
	@$(PY) manage.py run_huey --quiet & trap "kill $$! 2>/dev/null" EXIT; \
	  YIMEN_DEMO=true $(VENV)/bin/gunicorn -c gunicorn.conf.py

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@# The formatter lays the code out; no line is held back from it to squeeze a file.
	@! grep -rn --include='*.py' -e '# fmt: skip' -e '# fmt: off' yimen tests bench tools conftest.py manage.py gunicorn.conf.py
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run -v0

# Two workers (pytest-xdist), one a core; a file's tests stay on one worker (their module fixtures).
# The tests after which the database is flushed (`transactional`, see conftest.py) run in a session
# of their own, after the rest: on SQLite that session, with the browser stories and threaded
# writers, uses a file database (conftest.py), the rest the faster in-memory one.
PYTEST := $(VENV)/bin/pytest -q -n 2 --dist loadfile

test-sqlite: setup-dev
	$(PYTEST) -m "not transactional"
	$(PYTEST) -m transactional

test-postgres: setup-dev
	DATABASE_URL=$(PG_URL) $(PYTEST) -m "not transactional"
	DATABASE_URL=$(PG_URL) $(PYTEST) -m transactional

test: lint test-sqlite test-postgres

bench: setup-dev
	$(PY) bench/run.py

scale-demo: setup
	bash scripts/scale_demo.sh

clean:
	rm -rf var/static var/bench
