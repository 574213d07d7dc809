# µTask Studio — set-up, run and test. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SAMPLE ?= samples/payments-antifraud.yaml

# Debian packages Qt needs to draw offscreen and on a real X server (Xvfb for the smoke test).
APT_PACKAGES := xvfb xauth libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0 \
	libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 \
	libxcb-shape0 libxcb-xfixes0 libxcb-xkb1 libxcb-xinerama0 fonts-dejavu-core

.PHONY: setup run test lint bench clean system-packages

setup: system-packages $(STAMP)

system-packages:
	@bash .ci/apt-packages.sh $(APT_PACKAGES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[studio,dev]'
	@touch $(STAMP)

run: setup
	$(BIN)/utask-studio $(SAMPLE)

lint: setup
	$(BIN)/ruff check engine studio schemas tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: setup lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/validate.py
	$(BIN)/python benchmarks/templating.py
	$(BIN)/python benchmarks/template_parse.py
	$(BIN)/python benchmarks/store.py
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/document_model.py
	$(BIN)/python benchmarks/regex.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/studio.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info
