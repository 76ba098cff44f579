# fleetops developer entry points. Everything a test needs is installed from here, so
# `make test` works on a fresh clone of a Debian 12 / Python 3.11 machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: install system-deps test lint unit bench up clean

# Real servers the tests start themselves (Debian packages; nothing is started here).
# prometheus (promtool): the drift-alert rules tests; openssh-server (sshd): Git over ssh tests.

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	@missing=""; command -v promtool >/dev/null || missing="$$missing prometheus"; \
	[ -x /usr/sbin/sshd ] || missing="$$missing openssh-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "make: install these Debian packages for the full suite:$$missing" >&2; \
	  fi; \
	fi

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

unit: install
	$(BIN)/pytest $(PYTEST_ARGS)

test: install system-deps lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m bench

# Embedded mode: kubesim (hub + the seed's spokes), the sample config repository over smart HTTP,
# the controllers, webhook and metrics on 127.0.0.1:8080. State persists in .fleetops/.
up: install
	$(BIN)/fleetops up --data-dir .fleetops --port 8080

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info
