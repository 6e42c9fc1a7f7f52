# Urban Therapy platform: `make demo` serves everything, `make test` tests it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DB ?= urban
VAR := $(CURDIR)/var
SQLITE_DIR := $(VAR)/db
DEMO_PASSWORD_FILE := $(VAR)/admin-password
URBAN_MODULES := urban_catalog urban_stock urban_b2b urban_loyalty \
	urban_pos_bridge urban_mobile_api urban_website urban_analytics \
	urban_shipping
# Tryton modules the demo activates beside ours (Belgian accounting).
DEMO_EXTRA_MODULES := account_be
PYTEST_WORKERS ?= 2

# The demo's trytond settings; the tests configure themselves (conftest.py).
DEMO_ENV := TRYTOND_CONFIG=$(CURDIR)/config/demo.conf \
	TRYTOND_DATABASE__PATH=$(SQLITE_DIR) TRYTOND_WEB__ROOT=$(VAR)/www \
	TRYTOND_WEB__LISTEN=127.0.0.1:$(PORT)

.PHONY: demo serve install sao database test test-python clean-demo help \
	app-deps app-check app-web

help:
	@echo "make demo   - install, build the SQLite demo database and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - the whole test suite on PostgreSQL (127.0.0.1:5432)"

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
	@touch $@

sao: $(VAR)/sao/.installed

## SQLite demo database: created once, updated when our modules change
database: install
	@$(DEMO_ENV) $(PY) -m urbantherapy.demo.database --database $(DB) \
		--modules $(URBAN_MODULES) $(DEMO_EXTRA_MODULES) \
		--password-file $(DEMO_PASSWORD_FILE)

demo: install sao app-web database
	@echo "Serving Urban Therapy on http://127.0.0.1:$(PORT)  (back office: /admin/, health: /health)"
	$(DEMO_ENV) exec $(VENV)/bin/trytond -d $(DB)

clean-demo:
	rm -rf $(SQLITE_DIR) $(VAR)/demo-modules.sha256

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

app-check: install app-deps
	cd $(MOBILE) && PYTHON=$(CURDIR)/$(PY) npm run -s check:client
	cd $(MOBILE) && npx tsc --noEmit
	cd $(MOBILE) && npx jest --ci --maxWorkers=2

$(MOBILE)/dist/index.html: $(MOBILE)/node_modules/.installed $(APP_SOURCES)
	cd $(MOBILE) && npx expo export --platform web --output-dir dist >/dev/null
	@touch $@

app-web: $(MOBILE)/dist/index.html

## Tests: PostgreSQL, one database per xdist worker, activated databases
## cached as templates (see conftest.py)
test: install sao app-check app-web
	@bash scripts/ensure-postgres.sh
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadfile -q \
		-p no:randomly $(PYTEST_ARGS)
