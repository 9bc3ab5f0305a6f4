"""Explicit Arrow schemas of the shards (DESIGN.md, "Output layout").

Fixed, not inferred: every shard of every run has the same columns and types, so
`datasets`, pyarrow, polars and duckdb read a run's shards as one table.
"""

from __future__ import annotations

import pyarrow as pa

SAMPLING = pa.struct(
    [
        ("temperature", pa.float64()),
        ("top_p", pa.float64()),
        ("max_tokens", pa.int64()),
        ("seed", pa.int64()),
    ]
)

SAMPLE_SCHEMA = pa.schema(
    [
        ("sample_id", pa.string()),
        ("problem_id", pa.string()),
        ("source", pa.string()),
        ("domain", pa.string()),
        ("sample_index", pa.int64()),
        ("prompt", pa.string()),
        ("completion", pa.string()),
        ("extracted", pa.string()),
        ("answer_source", pa.string()),  # math: boxed | final_statement | whole | inline_math | last_number | choice
        ("finish_reason", pa.string()),  # from the generator: stop | length (cut by max_tokens) | ... ; null: unknown
        ("status", pa.string()),
        ("passed", pa.bool_()),
        ("tests_passed", pa.int64()),
        ("tests_total", pa.int64()),
        ("reason", pa.string()),
        ("duration_s", pa.float64()),
        ("verifier_cpu_s", pa.float64()),
        ("model", pa.string()),
        ("sampling", SAMPLING),
        ("prompt_tokens", pa.int64()),
        ("completion_tokens", pa.int64()),
        ("generation_s", pa.float64()),
        ("run_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
    ]
)

ERROR_SCHEMA = pa.schema(
    [
        ("error_id", pa.string()),
        ("stage", pa.string()),  # input | generate | verify
        ("source", pa.string()),
        ("problem_id", pa.string()),
        ("sample_id", pa.string()),
        ("reason", pa.string()),
        ("row", pa.string()),  # an excerpt of the offending input, when there is one
        ("run_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
    ]
)
