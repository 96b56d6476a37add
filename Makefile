# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The demo's plan as it stood on the day of the workshop (README: DEMO_TODAY);
# `make run DEMO_TODAY=` shows it by the real date.
DEMO_TODAY ?= 2025-04-11

.PHONY: run test fuzz install install-dev messages node lint format clean

run: install messages
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_mipr_demo
	@echo ""
	@echo "MIPR strategiportal: http://127.0.0.1:$(PORT)/"
	@echo "Demo-innlogginger: sekretariat, arbeidsgruppe, radsmedlem – passord mipr-demo"
	@echo ""
	DEBUG=1 DEMO_TODAY=$(DEMO_TODAY) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Two test workers (pytest-xdist), each with its own databases; a module's
# tests stay together, since many build their data once per module.
TEST_WORKERS ?= 2

test: install-dev messages node
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Property-based fuzzing of every form and JSON endpoint, 10,500 examples
# (`make test` runs 350). Prints how many examples ran and the result.
fuzz: install-dev messages
	HYPOTHESIS_PROFILE=fuzz $(VENV)/bin/pytest tests/test_fuzz.py -q $(PYTEST_ARGS)

$(PY):
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Compiled catalogues are build output, not committed.
messages: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*' --ignore 'node_modules/*' -v0

# axe-core for the accessibility scans in the browser tests (test-only).
node: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules var/static
