# seva-suraksha: every target sets itself up; `make demo` and `make test` work on a
# fresh machine with Python 3.11, Java 17 and Maven.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
RUN := $(UV) run --frozen
SERVERS := $(RUN) python deploy/local/servers.py
SERVICES := $(RUN) python deploy/local/services.py
PYTEST_ARGS ?=
SNAPSHOT_ARGS ?=

.PHONY: setup demo test test-unit test-contract test-integration test-e2e test-browser test-fuzz test-fault lint format contracts \
	bench up down status clean

setup:  ## install uv (if missing) and the locked environment
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

demo: setup  ## start Kafka, MongoDB and the four services; print their URLs
	@$(SERVERS) up
	@$(SERVICES) up
	@if [ -f deploy/local/demo.py ]; then $(RUN) python deploy/local/demo.py; fi

test: setup lint  ## the whole suite on real servers (started here if needed, stopped after)
	@mkdir -p .local; record=.local/make-test-started; \
	$(SERVERS) up --record $$record || exit 1; \
	$(RUN) pytest --hypothesis-profile=ci $(PYTEST_ARGS); status=$$?; \
	$(SERVERS) down --only $$record; exit $$status

test-unit: setup
	$(RUN) pytest -m unit $(PYTEST_ARGS)
test-contract: setup
	$(RUN) pytest -m contract $(PYTEST_ARGS)
test-integration: setup
	$(RUN) pytest -m integration $(PYTEST_ARGS)
test-e2e: setup
	$(RUN) pytest -m e2e $(PYTEST_ARGS)
test-browser: setup  ## the console in Debian's Chromium (headless) on the real stack
	$(RUN) pytest -m browser $(PYTEST_ARGS)
test-fuzz: setup  ## property tests draw new examples on every run here (make test: a fixed seed)
	$(RUN) pytest -m fuzz $(PYTEST_ARGS)
test-fault: setup  ## starts its own servers and services on ports 19700/27700/8700-8704
	$(RUN) pytest -m fault $(PYTEST_ARGS)

lint: setup  ## ruff (lint and format) and mypy strict
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

format: setup
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

contracts: setup  ## rewrite JSON Schema snapshots and AsyncAPI documents (refuses a breaking change)
	$(RUN) python -m contracts.snapshot $(SNAPSHOT_ARGS)
	$(RUN) python scripts/asyncapi.py
	$(RUN) python scripts/settings_table.py --write

bench: setup  ## benchmarks on a private stack of real servers (not part of `make test`)
	$(RUN) python -m bench $(BENCH_ARGS)

up: setup
	@$(SERVERS) up
	@$(SERVICES) up
down:
	@$(SERVICES) down
	@$(SERVERS) down
status:
	@$(SERVERS) status; $(SERVICES) status

clean: down
	rm -rf "$${SEVA_STATE_DIR:-.local}"
