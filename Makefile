# Two commands on a fresh machine: `make generate` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
STAMPS := .make

# Each client is regenerated only when its spec (or oasgen itself) changed: the pattern we
# recommend to users, with the spec as the prerequisite of a stamp.
CLIENTS := faxplus faxplus_outbox
spec_faxplus := specs/faxplus.yaml
spec_faxplus_outbox := specs/faxplus-get-outbox-fax.yaml
GENERATOR_SOURCES := $(wildcard generator/*.py generator/*/*.py) $(wildcard templates/*.j2) $(wildcard templates/runtime/*.py) pyproject.toml

.PHONY: generate test check lint mypy fuzz bench clean

generate: $(foreach c,$(CLIENTS),$(STAMPS)/$(c).stamp)

$(STAMPS)/%.stamp: $(INSTALLED) $(GENERATOR_SOURCES)
	@mkdir -p $(STAMPS)
	$(PY) -m generator generate --client $*
	@touch $@

$(STAMPS)/faxplus.stamp: $(spec_faxplus)
$(STAMPS)/faxplus_outbox.stamp: $(spec_faxplus_outbox)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Lint first: a ruff finding fails `make test`, and CI with it.
test: lint $(NODE_INSTALLED)
	$(PY) -m pytest -n 2 --dist loadgroup -q

check: $(INSTALLED)
	$(PY) -m generator check

lint: $(INSTALLED)
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff format --check generator tests bench

# The long fuzz run: fresh randomness each time, counts printed (-s); FUZZ_EXAMPLES per test.
FUZZ_EXAMPLES ?= 1000
fuzz: $(INSTALLED)
	OASGEN_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest tests/test_fuzz.py tests/test_layout.py tests/test_param_roundtrip.py -q -s

# Benchmarks print figures; none is asserted by a test (see README "Benchmarks").
bench: $(INSTALLED) $(NODE_INSTALLED)
	$(PY) bench/generate.py --all
	$(PY) bench/generate.py --formatter ruff --no-peer --runs 5
	$(PY) bench/generate.py --regen --runs 5 stripe-spec3.yaml plaid-2020-09-14.yml
	$(PY) bench/noop_check.py
	$(PY) bench/client_overhead.py
	$(PY) bench/import_time.py
	$(PY) bench/cold_start.py
	$(PY) bench/webhooks.py
	$(PY) bench/corpus_table.py

clean:
	rm -rf $(VENV) node_modules $(STAMPS)
