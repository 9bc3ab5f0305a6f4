"""Assay's pipeline: schema, config, sources, generators, the Ray pipeline, reports, CLI."""
