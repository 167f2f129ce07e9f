# The two commands a newcomer needs: `make run` (local stack on http://127.0.0.1:3000) and `make test`.
# Everything installs itself on first use: the project venv (.venv, Python 3.12), the SAM CLI / checkov venvs
# (.tools/, kept apart because they pin old boto3/pydantic) and, for browser tests, Debian's Chromium and axe-core.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.deps-installed
PIP_QUIET := 2> >(grep -v 'is ignored: it is neither' >&2)
PYTEST_ARGS ?=

.PHONY: help install run token screen bench build test lint typecheck check-generated generate \
        test-python test-infra test-browser tools browser-tools clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	@echo "installing Python dependencies into $(VENV) ($$($(PY) --version))"
	@$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt $(PIP_QUIET)
	@# the package lives in functions/ (the Lambda code root) and the dev tools at the top: put both on the path
	@printf '%s\n' "$(CURDIR)/functions" "$(CURDIR)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/intake-screening.pth"
	@touch $@

install: $(STAMP) ## create the project venv

run: $(STAMP) ## the whole service locally: gateway + pages + embedded DynamoDB (PORT overrides 3000)
	@$(PY) -m devtools.gateway

token: $(STAMP) ## print a practitioner JWT for the local stack, valid for a day
	@$(PY) -m devtools.token

screen: $(STAMP) ## screen one form: make screen FORM=path/to/form.json
	@test -n "$(FORM)" || { echo "usage: make screen FORM=path/to/form.json" >&2; exit 64; }
	@$(PY) -m devtools.screen "$(FORM)"

bench: $(STAMP) tools ## measure cold start, warm latency, screening cost, DynamoDB calls, artifact size, cost
	@$(PY) -m devtools.bench

generate: $(STAMP) ## regenerate the checked-in JSON Schema, OpenAPI document and rules catalog docs
	@$(PY) -m devtools.gen_schema
	@$(PY) -m devtools.gen_openapi
	@$(PY) -m devtools.gen_rules

test: lint typecheck check-generated test-python test-infra test-browser mutants ## everything CI runs
	@echo "make test: all checks passed"

lint: $(STAMP) ## ruff lint and format check
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

typecheck: $(STAMP) ## mypy (strict, pydantic plugin)
	@$(VENV)/bin/mypy

check-generated: $(STAMP) ## fail when a generated artifact is stale (run `make generate`)
	@$(PY) -m devtools.gen_schema --check
	@$(PY) -m devtools.gen_openapi --check
	@$(PY) -m devtools.gen_rules --check

test-python: $(STAMP) dynalite ## unit, integration, contract, fuzz, fault, load and leak tests (moto + dynalite)
	@$(VENV)/bin/pytest -m "not browser and not infra" -n 2 $(PYTEST_ARGS)

.PHONY: dynalite mutants
dynalite: ## dynalite, the second DynamoDB the integration tests run on, into .tools/node (npm, pinned)
	@scripts/install-dynalite.sh

mutants: $(STAMP) dynalite ## break each core guarantee on purpose (devtools/mutants.py): every mutation must be caught
	@$(PY) -m devtools.mutants

build: ## sam build for Lambda (arm64) with precompiled bytecode, ready for `sam deploy`
	@scripts/build.sh

tools: ## SAM CLI, cfn-lint and checkov in their own venvs under .tools/
	@scripts/install-tools.sh

test-infra: $(STAMP) tools ## cfn-lint, sam validate --lint, sam build, checkov, template tests
	@scripts/check-template.sh
	@$(VENV)/bin/pytest -m infra $(PYTEST_ARGS)

browser-tools: ## Debian Chromium and axe-core for the browser tests
	@scripts/install-browser.sh

test-browser: $(STAMP) browser-tools ## the web pages in headless Chromium (Playwright)
	@$(VENV)/bin/pytest -m browser $(PYTEST_ARGS)

clean: ## remove venvs, build output and caches
	rm -rf $(VENV) .tools .aws-sam .pytest_cache .mypy_cache .ruff_cache .hypothesis
