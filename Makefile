# The two commands a newcomer needs: `make run` (the service on http://127.0.0.1:3000) and `make test`.
# Each installs what it needs on first use, and no more: `make run` the runtime and the local stack's packages
# (requirements-run.lock), `make test` the test tools too (requirements-dev.lock), the SAM CLI / checkov venvs
# (.tools/, kept apart because they pin old boto3/pydantic), Debian's Chromium, axe-core and ESLint.
# Every step prints "==> name" as it starts.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
# --no-compile: pip would compile every module of moto and botocore up front; Python compiles the ones imported
PIP_INSTALL := $(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-compile
PIP_QUIET := 2> >(grep -v 'is ignored: it is neither' >&2)
RUN_STAMP := $(VENV)/.run-installed
DEV_STAMP := $(VENV)/.dev-installed
PYTEST_ARGS ?=
# Browser-test workers: each runs whole modules (their local stack is per module); two fill two cores, as pages wait.
BROWSER_WORKERS ?= 2
# `make test`'s Python tests: everything but the browser and template tests, which have their own steps.
PYTHON_TESTS := -m 'not browser and not infra'
# `make check`: the inner loop, without the load, leak and fault runs of tests/stress.
CHECK_TESTS := tests/unit tests/fhir tests/integration tests/contract -m 'not browser and not infra'
# $(call step,text) prints "==> text" as a step starts (the text may not hold a comma: make would split it there)
step = @printf '==> %s\n' "$(1)"

.PHONY: help install install-run run token screen bench build lock configure test check lint lint-js typecheck \
        check-generated generate test-python test-infra test-browser tools browser-tools node-tools doc-checkers dynalite mutants clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

# --- the project venv: run packages first, test tools on top ----------------------------------------------------

$(PY):
	$(call step,venv: creating $(VENV) with $(shell scripts/find-python.sh))
	@"$$(scripts/find-python.sh)" -m venv $(VENV)
	@# the package lives in functions/ (the Lambda code root) and the dev tools at the top: put both on the path
	@printf '%s\n' "$(CURDIR)/functions" "$(CURDIR)" > "$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/intake-screening.pth"
	@# the bundled pip may be too old for the locks (requirements-pip.txt says why): install the locked one first
	@$(PIP_INSTALL) -r requirements-pip.lock $(PIP_QUIET) || { rm -rf $(VENV); exit 1; }

$(RUN_STAMP): requirements-run.lock | $(PY)
	$(call step,install-run: $(shell grep -c '^[a-z]' requirements-run.lock) locked packages from requirements-run.lock)
	@$(PIP_INSTALL) -r requirements-run.lock $(PIP_QUIET)
	@touch $@

$(DEV_STAMP): requirements-dev.lock $(RUN_STAMP)
	$(call step,install: $(shell grep -c '^[a-z]' requirements-dev.lock) locked packages from requirements-dev.lock)
	@$(PIP_INSTALL) -r requirements-dev.lock $(PIP_QUIET)
	@touch $@

install-run: $(RUN_STAMP) ## the project venv with what `make run` needs

install: $(DEV_STAMP) ## the project venv with the test tools too

lock: $(DEV_STAMP) ## refresh the lock files from requirements*.txt (UPGRADE=1 moves transitive pins too)
	$(call step,lock)
	@scripts/lock.sh

# --- running ------------------------------------------------------------------------------------------------------

run: $(RUN_STAMP) ## the whole service locally: gateway + pages + embedded DynamoDB (PORT overrides 3000)
	$(call step,run: starting the local gateway and the embedded moto server)
	@$(PY) -m devtools.gateway

token: $(RUN_STAMP) ## print a practitioner JWT for the local stack, valid for a day
	@$(PY) -m devtools.jwt_token

screen: $(RUN_STAMP) ## screen one form or API Gateway event: make screen FORM=path/to/form.json
	@test -n "$(FORM)" || { echo "usage: make screen FORM=path/to/form.json" >&2; exit 64; }
	@$(PY) -m devtools.screen "$(FORM)"

bench: $(DEV_STAMP) tools ## measure cold start, warm latency, screening cost, DynamoDB calls, artifact size, cost
	$(call step,bench)
	@$(PY) -m devtools.bench

build: ## sam build for Lambda (arm64) with the locked wheels and precompiled bytecode, ready for `sam deploy`
	$(call step,build)
	@scripts/build.sh

generate: $(DEV_STAMP) ## regenerate the JSON Schema, OpenAPI document, rules docs, FHIR Questionnaire, web contract
	$(call step,generate)
	@$(PY) -m devtools.gen_schema
	@$(PY) -m devtools.gen_openapi
	@$(PY) -m devtools.gen_rules
	@$(PY) -m devtools.gen_fhir
	@$(PY) -m devtools.gen_web_contract

configure: $(RUN_STAMP) ## stamp clinic.json (the clinic's details) into web/index.html and the deploy parameters
	$(call step,configure: clinic.json into the pages and infra parameters)
	@$(PY) -m devtools.configure

# --- checking -----------------------------------------------------------------------------------------------------

# Two phases on two cores. Phase 1: the project venv first (both phases use it), then the tool installs (network
# and disk: SAM CLI, checkov, Chromium, node tools) run in the background followed by the template checks and ESLint,
# their lines marked [side], while the Python checks run in the foreground with both cores; a failure in either
# still waits for the other and fails the run. Phase 2: the browser tests, two workers, then the mutations, two at a
# time in scratch copies of the tree.
test: ## everything CI runs (coverage floor included)
	$(call step,test: phase 1 of 2: Python checks while the tools install and the template is checked)
	@$(MAKE) --no-print-directory install
	@( ( $(MAKE) --no-print-directory tools browser-tools node-tools && \
	     $(MAKE) --no-print-directory lint-js test-infra ) 2>&1 | sed -u 's/^/[side] /' ) & side=$$!; status=0; \
	$(MAKE) --no-print-directory lint typecheck check-generated test-python PYTEST_COV=1 || status=$$?; \
	wait $$side || status=$$?; exit $$status
	$(call step,test: phase 2 of 2: browser tests then the mutations)
	@$(MAKE) --no-print-directory test-browser mutants
	$(call step,make test: all checks passed)

check: $(DEV_STAMP) doc-checkers dynalite ## the inner loop: lint (Python, JS), types, generated files, unit/integration/contract tests
	@$(MAKE) --no-print-directory -j1 lint lint-js typecheck check-generated
	$(call step,check: pytest $(CHECK_TESTS))
	@$(VENV)/bin/pytest $(CHECK_TESTS) -n 2 -q $(PYTEST_ARGS)

lint: $(DEV_STAMP) ## ruff lint and format check
	$(call step,lint: ruff check and ruff format --check)
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .

lint-js: node-tools ## ESLint over web/*.js (eslint.config.cjs)
	$(call step,lint-js: eslint web/)
	@NODE_PATH=.tools/node/node_modules .tools/node/node_modules/.bin/eslint --max-warnings 0 web/

typecheck: $(DEV_STAMP) ## mypy (strict, pydantic plugin)
	$(call step,typecheck: mypy --strict)
	@$(VENV)/bin/mypy

check-generated: $(DEV_STAMP) ## fail when a generated artifact is stale (run `make generate`)
	$(call step,check-generated)
	@$(PY) -m devtools.gen_schema --check
	@$(PY) -m devtools.gen_openapi --check
	@$(PY) -m devtools.gen_rules --check
	@$(PY) -m devtools.gen_fhir --check
	@$(PY) -m devtools.gen_web_contract --check
	@$(PY) -m devtools.configure --check

test-python: $(DEV_STAMP) doc-checkers dynalite ## unit, integration, contract, fuzz, fault, load and leak tests (PYTEST_COV=1: coverage)
	$(call step,test-python: pytest $(PYTHON_TESTS) -n 2$(if $(PYTEST_COV), with coverage))
	@$(VENV)/bin/pytest $(PYTHON_TESTS) -n 2 $(if $(PYTEST_COV),--cov --cov-report=term:skip-covered) $(PYTEST_ARGS)

dynalite: ## dynalite, the second DynamoDB the integration tests run on, into .tools/dynalite (npm, pinned)
	$(call step,dynalite)
	@scripts/install-dynalite.sh

mutants: $(DEV_STAMP) dynalite ## break each core guarantee on purpose (devtools/mutants.py): every mutation must be caught
	$(call step,mutants: each scripted mutation must fail the tests that guard it)
	@$(PY) -m devtools.mutants

tools: ## SAM CLI, cfn-lint and checkov in their own venvs under .tools/
	$(call step,tools: SAM CLI + cfn-lint + checkov)
	@scripts/install-tools.sh

test-infra: $(DEV_STAMP) tools ## cfn-lint, sam validate --lint, sam build, checkov, template tests
	$(call step,test-infra: check-template.sh and pytest -m infra)
	@scripts/check-template.sh
	@$(VENV)/bin/pytest -m infra $(PYTEST_ARGS)

node-tools: ## pinned ESLint and axe-core in .tools/node (npm)
	$(call step,node-tools: eslint + axe-core)
	@scripts/install-node-tools.sh

doc-checkers: ## the FHIR R4 JSON Schema and Redoc (npm), which the tests check the published documents with
	$(call step,doc-checkers: FHIR R4 schema + Redoc)
	@scripts/install-doc-checkers.sh

browser-tools: ## Debian Chromium and the node tools (axe-core) for the browser tests
	$(call step,browser-tools: chromium)
	@scripts/install-browser.sh

test-browser: $(DEV_STAMP) browser-tools doc-checkers ## the web pages in headless Chromium (Playwright), BROWSER_WORKERS at once
	$(call step,test-browser: pytest -m browser -n $(BROWSER_WORKERS))
	@$(VENV)/bin/pytest -m browser -n $(BROWSER_WORKERS) --dist loadscope $(PYTEST_ARGS)

clean: ## remove venvs, build output and caches
	rm -rf $(VENV) .tools .aws-sam .pytest_cache .mypy_cache .ruff_cache .hypothesis .coverage
