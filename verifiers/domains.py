"""The registry of domains: one line per kind of problem Assay judges.

A new domain is a package with its problem model (a `ProblemBase` with a `domain`
literal) and its verifier, ending in a `DOMAIN = Domain(...)`, plus its line below.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field, TypeAdapter

from verifiers.base import Domain
from verifiers.code.verifier import DOMAIN as CODE
from verifiers.math.verifier import DOMAIN as MATH

DOMAINS: dict[str, Domain] = {domain.name: domain for domain in (CODE, MATH)}

# Any registered problem, picked by its `domain` field.
Problem = Annotated[Union[tuple(d.problem for d in DOMAINS.values())], Field(discriminator="domain")]  # type: ignore[valid-type]
PROBLEM = TypeAdapter(Problem)


def domain_of(name: str) -> Domain:
    try:
        return DOMAINS[name]
    except KeyError:
        raise ValueError(f"unknown domain {name!r}; known: {', '.join(DOMAINS)}") from None
