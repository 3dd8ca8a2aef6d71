# Two commands do all set-up: `make demo` and `make test`. Both create .venv
# and install pinned dependencies (pyproject.toml + requirements.lock) on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean serve

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	# harvest the SK<->NK lexicon from the installed dictionaries once, at install
	$(BIN)/python -c "from meari.lang.lexicon import load_lexicon; load_lexicon()"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m meari.demo out/demo

test: $(STAMP)
	$(BIN)/ruff check meari tests benchmarks
	$(BIN)/python -m pytest -q

# the workbench with demo users (new passwords printed) and the example message; Ctrl-C stops it
serve: $(STAMP)
	$(BIN)/meari serve --data out/serve --demo examples/appeal.yaml

bench: $(STAMP)
	for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf out .pytest_cache
