# Everyday commands; CI runs the same checks through .ci/run.
PYTHON ?= python

.PHONY: install lint test test-fast bench-smoke

install:
	$(PYTHON) -m pip install -e ".[dev]"

lint:
	ruff check aligner tests benchmarks
	mypy

test:
	pytest

# Everything that needs neither the real model nor a browser: a few seconds.
test-fast:
	pytest -m "not model and not slow"

# Each benchmark on its smallest input, to see that it still runs (not for figures).
bench-smoke:
	$(PYTHON) benchmarks/bench_mac_dev.py --cache .bench-cache
	$(PYTHON) benchmarks/bench_frontend.py
