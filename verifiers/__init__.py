"""Verifiers: code (sandboxed tests) and math (answer equivalence)."""
