# Two commands on a fresh machine: `make report` (demo exports -> reports/) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Rules call `python -m cob_analysis`: the venv's python must come first on PATH.
RUN := PATH="$(abspath $(VENV))/bin:$$PATH"
CORES ?= all
# Your own config: `make report CONFIG=my.yaml` (default: the demo config).
CONFIG ?=

.PHONY: report test lint demo-data benchmark clean workflow-report

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

## Run the workflow on the configured exports (default: the embedded synthetic demo exports),
## then build the Snakemake report: the same as `cob-analysis run`.
report: $(VENV)/.installed
	$(RUN) cob-analysis run --cores $(CORES) $(if $(CONFIG),--config $(CONFIG))

## The test suite (unit tests, recoding rules, the end-to-end workflow test).
test: $(VENV)/.installed
	$(RUN) python -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/snakefmt --check Snakefile workflow
	$(RUN) snakemake --lint

## Regenerate the synthetic demo exports (seeded) and the list of their hashes.
demo-data: $(VENV)/.installed
	$(PY) -m cob_demo calibrated --outdir data/raw
	$(PY) -m cob_demo hashes --raw-dir data/raw --out src/cob_analysis/data/demo_exports.sha256

clean:
	rm -rf data/processed/staging data/processed/qa data/processed/*.parquet reports/* logs .snakemake
