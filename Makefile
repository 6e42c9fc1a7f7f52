# Urban Therapy platform: `make demo` serves everything, `make test` tests it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The demo's public base URL ([urban] site_url): links in e-mails, the
# sitemap and the printed shop QR codes point to it.
SITE_URL ?= http://127.0.0.1:$(PORT)
DB ?= urban
VAR := $(CURDIR)/var
SQLITE_DIR := $(VAR)/db
DEMO_PASSWORD_FILE := $(VAR)/admin-password
URBAN_MODULES := urban_catalog urban_stock urban_b2b urban_loyalty \
	urban_pos_bridge urban_checkout urban_mobile_api urban_website urban_analytics \
	urban_shipping urban_ankorstore urban_service
# Tryton modules the demo activates beside ours (Belgian accounting).
DEMO_EXTRA_MODULES := account_be
PYTEST_WORKERS ?= 2

# The demo's trytond settings; the tests configure themselves (conftest.py).
DEMO_ENV := TRYTOND_CONFIG=$(CURDIR)/config/demo.conf \
	TRYTOND_DATABASE__PATH=$(SQLITE_DIR) TRYTOND_WEB__ROOT=$(VAR)/www \
	TRYTOND_WEB__LISTEN=127.0.0.1:$(PORT) TRYTOND_URBAN__SITE_URL=$(SITE_URL) \
	TRYTOND_URBAN__DATABASE=$(DB)

.PHONY: demo install sao database test test-python lint lint-python lint-app \
	clean-demo help app-deps app-check app-web prod-local backup restore \
	restore-args test-upgrade

help:
	@echo "make demo   - install, build the SQLite demo database and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - lint, then the whole test suite on PostgreSQL (127.0.0.1:5432)"
	@echo "make lint   - flake8 (Tryton's settings) and the app's tsc and eslint"
	@echo "make prod-local - the production topology (web x N, worker, cron) on http://127.0.0.1:$(PROD_PORT)"

## Python environment (re-installed only when requirements change)
$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

install: $(VENV)/.installed

## Back-office web client (tryton-sao 8.0 from npm), served under /admin/
$(VAR)/sao/.installed:
	@mkdir -p $(VAR)/sao $(VAR)/www
	cd $(VAR)/sao && npm install --no-audit --no-fund --omit=dev \
		--legacy-peer-deps --install-strategy=nested tryton-sao@8.0
	ln -sfn $(VAR)/sao/node_modules/tryton-sao $(VAR)/www/admin
	@# sao's page loads custom.js/custom.css for local additions (none here)
	touch $(VAR)/sao/node_modules/tryton-sao/custom.js \
		$(VAR)/sao/node_modules/tryton-sao/custom.css
	@touch $@

sao: $(VAR)/sao/.installed

## SQLite demo database: created once, updated when our modules change
database: install
	@$(DEMO_ENV) $(PY) -m urbantherapy.demo.database --database $(DB) \
		--modules $(URBAN_MODULES) $(DEMO_EXTRA_MODULES) \
		--password-file $(DEMO_PASSWORD_FILE)

# trytond behind the emulated Stripe, Mollie, Sendcloud, Expo push, SMTP
# outbox and shop tills; their page (outbox, push, till) on PORT + 1
demo: install sao app-web database
	@echo "Serving Urban Therapy on http://127.0.0.1:$(PORT)  (back office: /admin/, health: /health)"
	$(DEMO_ENV) exec $(PY) -m urbantherapy.demo.serve -d $(DB) --port $(PORT)

clean-demo:
	rm -rf $(SQLITE_DIR) $(VAR)/demo-modules.sha256

## Production topology on this machine, no containers (README,
## "Production topology"): migrate, URBAN_WEB_PROCESSES gunicorn web
## processes, trytond-worker, trytond-cron behind one port, through the
## image's entrypoint (urbantherapy/prod). Secrets from the environment.
PROD_PORT ?= 8080
prod-local: install sao
	$(PY) -m urbantherapy.prod.local --port $(PROD_PORT)

## Backup of URBAN_DATABASE and its filestore (pg_dump custom format, tar,
## manifest with SHA-256) into BACKUP_DIR/<database>-<time>/; restore one
## into a new database (RESTORE_DB, default URBAN_DATABASE). README, "Backups".
BACKUP_DIR ?= backups
backup: install
	$(PY) -m urbantherapy.prod.local backup --output $(BACKUP_DIR)

restore-args:
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=$(BACKUP_DIR)/<database>-<time> [RESTORE_DB=name]" >&2; exit 2; }

restore: restore-args install
	$(PY) -m urbantherapy.prod.local restore $(BACKUP) $(if $(RESTORE_DB),--database $(RESTORE_DB))

## B2C app (mobile/, Expo): dependencies from package-lock.json, checks
## (generated client up to date, tsc, jest) and the web export that trytond
## serves at /shop (mobile/dist, rebuilt when the app's sources change)
MOBILE := mobile
APP_SOURCES := $(shell find $(MOBILE)/app $(MOBILE)/src -type f 2>/dev/null) \
	$(MOBILE)/app.json $(MOBILE)/babel.config.js

$(MOBILE)/node_modules/.installed: $(MOBILE)/package.json $(MOBILE)/package-lock.json
	cd $(MOBILE) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

app-deps: $(MOBILE)/node_modules/.installed

app-check: install app-deps lint-app
	cd $(MOBILE) && PYTHON=$(CURDIR)/$(PY) npm run -s check:client
	cd $(MOBILE) && npx jest --ci --maxWorkers=2

$(MOBILE)/dist/index.html: $(MOBILE)/node_modules/.installed $(APP_SOURCES)
	cd $(MOBILE) && npx expo export --platform web --output-dir dist >/dev/null
	@touch $@

app-web: $(MOBILE)/dist/index.html

## Lint: flake8 with Tryton's own settings (.flake8) on the Python tree;
## the app's tsc and eslint (Expo's config, mobile/eslint.config.js).
## Errors fail; eslint's warnings are printed only.
lint: lint-python lint-app

lint-python: install
	$(VENV)/bin/flake8

lint-app: app-deps
	cd $(MOBILE) && npx tsc --noEmit
	cd $(MOBILE) && npm run -s lint

## Tests: lint first, then PostgreSQL, one database per xdist worker,
## activated databases cached as templates (see conftest.py)
## (the slowest tests are named at the end of each run)
test: lint install sao app-check app-web test-python

## The Python suite alone, without the app's checks (tests/test_app_web.py
## needs the app's web export: `make app-web` once)
test-python: install sao
	@bash scripts/ensure-postgres.sh
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -q \
		-p no:randomly --durations=15 $(PYTEST_ARGS)

## Upgrade from the previous release (tests/test_prod_upgrade.py): its
## code builds the demo database, this code's migrate updates it; not in
## `make test` (a cold build of the previous demo takes ~9 min)
test-upgrade: install
	@bash scripts/ensure-postgres.sh
	URBAN_TEST_UPGRADE=1 $(VENV)/bin/pytest -q -p no:randomly \
		tests/test_prod_upgrade.py
