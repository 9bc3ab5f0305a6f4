# The docker sandbox's image: the Python candidates run with, the libraries the math
# comparison needs, and Assay's in-sandbox modules (nothing else of Assay).
# Build from the repository root:  make sandbox-image
FROM python:3.11-slim

# Versions as in Assay's own environment: the math comparison must behave the same
# inside the container as in the tests.
RUN pip install --no-cache-dir "sympy==1.14.0" "math-verify==0.9.0" \
        "latex2sympy2_extended==1.11.0" "antlr4-python3-runtime==4.13.2"

# The code harness (candidate side and judge side), the math comparison, and the
# program that starts a judged run's two processes.
COPY verifiers/__init__.py /opt/assay/verifiers/
COPY verifiers/code/__init__.py verifiers/code/harness.py /opt/assay/verifiers/code/
COPY verifiers/math/__init__.py verifiers/math/symbolic.py /opt/assay/verifiers/math/
COPY sandbox/judged_run.py /opt/assay/judged_run.py

# On every interpreter's path, also under `python -I`; read-only for everyone.
RUN echo /opt/assay > /usr/local/lib/python3.11/site-packages/assay.pth \
    && chmod -R a+rX,go-w /opt/assay \
    && python -I -c "import verifiers.code.harness, verifiers.math.symbolic"
