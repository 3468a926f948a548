# autoloan — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench docs docs-build clean test-spark

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("autoloan needs Python 3.11+, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/autoloan demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy src tests/test_contract.py

pytest: $(STAMP)
	$(BIN)/python -m pytest

test: lint typecheck pytest docs-build

# autoloan.book on Spark local[2] (needs Java 17): installs the spark extra, runs the spark-marked tests
test-spark: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[spark]'
	PYSPARK_PYTHON=$(abspath $(BIN)/python) $(BIN)/python -m pytest -p no:cacheprovider -m spark tests/test_book_spark.py

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

docs: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[docs]'
	$(BIN)/mkdocs build --strict

# The site builds without a warning (a broken reference, link or figure fails `make test`).
docs-build: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet --site-dir site

clean:
	rm -rf $(VENV) build dist site .mypy_cache .pytest_cache .ruff_cache .hypothesis
