"""Duplicates among the accepted samples of one problem.

* exact: the same text after normalising (code: comments, blank lines and spacing
  dropped, tokens kept; math: whitespace collapsed);
* near (optional): MinHash over token n-gram shingles with LSH (`datasketch`), the way
  code-corpus dedup is done (BigCode's near-deduplication): a sample whose estimated
  Jaccard similarity to an earlier kept sample of the same problem is at least the
  threshold is a near-duplicate of it.

Order decides which copy is kept: callers pass samples sorted by `sample_id`, so the
same run always keeps the same samples.
"""

from __future__ import annotations

import io
import tokenize

from pydantic import BaseModel, Field


class NearDupConfig(BaseModel):
    threshold: float = Field(0.85, gt=0, le=1, description="estimated Jaccard similarity at which two samples are near-duplicates")
    ngram: int = Field(5, ge=1, le=32, description="tokens per shingle")
    num_perm: int = Field(128, ge=16, le=1024, description="MinHash permutations (more: better estimates, slower)")
    seed: int = 1


def normalise_code(text: str) -> str:
    """The program without comments, blank lines or spacing differences: what makes two
    accepted samples the same program for dedup. Statement breaks and indentation levels
    stay (as tokens), so `return x` inside and outside an `if` remain different."""
    try:
        tokens = [
            tok.string if tok.type not in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) else tokenize.tok_name[tok.type]
            for tok in tokenize.generate_tokens(io.StringIO(text).readline)
            if tok.type not in (tokenize.COMMENT, tokenize.NL)
        ]
        return " ".join(tokens)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return " ".join(text.split())


def exact_key(domain: str, text: str) -> str:
    """What two accepted samples of one problem must share to be exact duplicates."""
    return normalise_code(text) if domain == "code" else " ".join(text.split())


def shingles(key: str, ngram: int) -> set[bytes]:
    """Token n-grams of a normalised text (the whole text when it is shorter)."""
    tokens = key.split()
    if len(tokens) <= ngram:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i : i + ngram]).encode() for i in range(len(tokens) - ngram + 1)}


def unique_mask(domain: str, texts: list[str], near: NearDupConfig | None = None) -> list[bool]:
    """For each text in order: True if it is kept, False if it duplicates an earlier kept
    one (exactly, or nearly when `near` is given)."""
    exact, near_kept = unique_masks(domain, texts, near)
    return exact if near_kept is None else near_kept


def unique_masks(domain: str, texts: list[str], near: NearDupConfig | None) -> tuple[list[bool], list[bool] | None]:
    """Both masks from one normalisation pass: exact duplicates dropped, and (when `near`
    is given) near-duplicates dropped as well."""
    keys = [exact_key(domain, text) for text in texts]
    seen: set[str] = set()
    exact = []
    for key in keys:
        exact.append(key not in seen)
        seen.add(key)
    if near is None:
        return exact, None
    mask = list(exact)
    if sum(mask) < 2:
        return exact, mask
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=near.threshold, num_perm=near.num_perm)
    kept: dict[int, MinHash] = {}
    for i, key in enumerate(keys):
        if not mask[i]:
            continue
        sketch = MinHash(num_perm=near.num_perm, seed=near.seed)
        sketch.update_batch(list(shingles(key, near.ngram)))
        # LSH proposes candidates; the estimate decides, so a banding false positive
        # never drops a sample below the threshold.
        if any(kept[j].jaccard(sketch) >= near.threshold for j in lsh.query(sketch)):
            mask[i] = False
            continue
        kept[i] = sketch
        lsh.insert(i, sketch)
    return exact, mask
