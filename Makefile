# Assay: every target creates/uses .venv and installs what it needs.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.assay-installed

.PHONY: help install run test lint bench toolchains sandbox-image docker-test-engine clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## /\1\t/' | expand -t 22

LOG := $(VENV)/install.log
# PyPI ships llama-cpp-python as source only, so it is compiled here. Assay uses the text
# model only: skip the multimodal (llava/mtmd) library, about a fifth of the build. And a
# portable build (AVX2/FMA/F16C, no -march=native): a native build on a Sapphire Rapids VM
# compiled AMX tile instructions, and every generation died with SIGILL (`tilezero` on an
# OpenMP thread); and a .venv built on one CPU must run on the others of a cluster.
# Set CMAKE_ARGS yourself for other builds (e.g. -DGGML_CUDA=on, or -DGGML_NATIVE=ON).
CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF
export CMAKE_ARGS
# One status line per step; pip's own output goes to $(LOG), and a failure points there.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "assay: installing into $(VENV) (the first time 5-10 min on 2 cores, mostly compiling llama-cpp-python; log: $(LOG))"
	@$(PY) -m pip install --upgrade pip > $(LOG) 2>&1 || { echo "assay: upgrading pip failed; see $(LOG)"; tail -n 20 $(LOG); exit 1; }
	@# pip's wheel cache ignores CMAKE_ARGS: a wheel built earlier with other flags would be reused
	@$(PY) -m pip install --no-cache-dir 'llama-cpp-python>=0.3' >> $(LOG) 2>&1 || { echo "assay: building llama-cpp-python failed; see $(LOG)"; tail -n 20 $(LOG); exit 1; }
	@$(PY) -m pip install -e '.[dev,bench]' >> $(LOG) 2>&1 || { echo "assay: installation failed; see $(LOG)"; tail -n 20 $(LOG); exit 1; }
	@touch $(STAMP)
	@echo "assay: installed"

install: $(STAMP)  ## set up .venv with everything, including the `assay` console script

run: install  ## the quickstart: embedded model, built-in problems, local Ray and sandbox -> output/quickstart/ (training rows in data/, report.html)
	$(VENV)/bin/assay run configs/quickstart.yaml

TEST_WORKERS ?= auto
# A worker that dies fails its test and ends the run at once: pytest-xdist 3.8's loadfile
# scheduler can wait forever after replacing a crashed worker (pytest-xdist#784, #1313).
test: install  ## the whole suite (slow tests included): in parallel on every CPU, then the tests marked serial alone
	status=0; $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --max-worker-restart=0 -m "not serial" || status=$$?; \
	$(PY) -m pytest -m serial || status=$$?; exit $$status

lint: install  ## ruff on all code, mypy on the contract modules, the layers contract (docs/architecture.md)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: install  ## benchmarks; results summarised in BENCHMARKS.md
	$(PY) bench/sandbox_overhead.py
	$(PY) bench/code_verifier.py
	$(PY) bench/math_verifier.py
	$(PY) bench/generation.py
	$(PY) bench/pipeline_verify.py
	$(PY) bench/driver_rows.py

toolchains:  ## Debian host, root: g++, gcc, a JDK, node, go and rustc, for judging C++, C, Java, JavaScript, Go and Rust
	bash scripts/install-toolchains.sh

SANDBOX_IMAGE ?= assay-sandbox:latest

sandbox-image:  ## the docker sandbox's image (needs a Docker engine): Python, sympy/math-verify, Assay's in-sandbox modules
	docker build --network host $(SANDBOX_BUILD_ARGS) -f docker/sandbox.Dockerfile -t $(SANDBOX_IMAGE) .

docker-test-engine:  ## Debian host, root: install and start a Docker engine and build the image, so the docker tests run
	bash scripts/docker-test-engine.sh

clean:  ## remove .venv and build files
	rm -rf $(VENV) .pytest_cache build *.egg-info
