"""`python -m pipeline` is the `assay` command."""

from pipeline.cli import app

app(prog_name="assay")
