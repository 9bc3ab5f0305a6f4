# The docker sandbox's image: the Python candidates run with, the libraries the math
# comparison needs, the other languages' toolchains, and Assay's in-sandbox modules
# (nothing else of Assay).
# Build from the repository root:  make sandbox-image
# BASE: any image with python3.11 and pip (the default, or a Debian with python3-pip,
# which is what the test engine in scripts/docker-test-engine.sh builds offline).
ARG BASE=python:3.11-slim
FROM ${BASE}

# Versions as in Assay's own environment: the math comparison must behave the same
# inside the container as in the tests.
ENV PIP_BREAK_SYSTEM_PACKAGES=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# pytest: the judge of pytest-style test files (KodCode) uses pytest.raises / approx / mark.
RUN python3 -m pip install --quiet "sympy==1.14.0" "math-verify==0.9.0" \
        "latex2sympy2_extended==1.11.0" "antlr4-python3-runtime==4.13.2" "pytest==9.2.0"

# Compilers and runtimes for the code verifier's other languages (C++, C, Java, Go, Rust,
# JavaScript: verifiers/code/languages.py), from Debian packages, by the same script as
# the host's `make toolchains`. --build-arg TOOLCHAINS=0 makes a Python-only image.
ARG TOOLCHAINS=1
COPY scripts/install-toolchains.sh /tmp/install-toolchains.sh
RUN if [ "$TOOLCHAINS" = 1 ]; then bash /tmp/install-toolchains.sh && rm -rf /var/lib/apt/lists/*; fi; rm /tmp/install-toolchains.sh

# The code harness (candidate side and judge side), the math comparison, and the
# program that starts a judged run's two processes.
COPY verifiers/__init__.py /opt/assay/verifiers/
COPY verifiers/code/__init__.py verifiers/code/harness.py /opt/assay/verifiers/code/
COPY verifiers/math/__init__.py verifiers/math/symbolic.py verifiers/math/lane.py verifiers/math/vocab.py verifiers/math/angles.py /opt/assay/verifiers/math/
COPY sandbox/__init__.py sandbox/recursion.py /opt/assay/sandbox/
COPY sandbox/judged_run.py /opt/assay/judged_run.py

# On every interpreter's path, also under `python -I`; read-only for everyone; the
# interpreter where the docker backend looks for it (sandbox.python).
RUN echo /opt/assay > "$(python3 -c 'import site; print(site.getsitepackages()[0])')/assay.pth" \
    && chmod -R a+rX,go-w /opt/assay \
    && { [ -x /usr/local/bin/python3 ] || ln -s "$(command -v python3)" /usr/local/bin/python3; } \
    && /usr/local/bin/python3 -I -c "import verifiers.code.harness, verifiers.math.symbolic"
