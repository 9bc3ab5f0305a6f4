"""Generators: problems in, N candidate completions per problem out.

Backends (`registry.py`): `llamacpp` (embedded default), `openai` (any OpenAI-compatible
endpoint), `vllm` (vLLM engines on Ray GPU workers via `ray.data.llm`), `replay`
(existing completions). All produce `Generation` rows; failures are per-row errors,
never exceptions that end a run.
"""
