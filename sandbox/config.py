"""The registry of sandbox backends: one line per backend, picked by `kind`.

A new backend is one file defining its `Sandbox` and its config (a `SandboxSettings`
subclass with a `kind` Literal and a `build` method), plus its line below.
"""

from __future__ import annotations

from typing import Annotated, Union

from pydantic import Field

from sandbox.base import Sandbox, SandboxSettings
from sandbox.docker_backend import DockerSandboxConfig
from sandbox.local.backend import LocalSandboxConfig
from sandbox.unsafe import UnsafeSandboxConfig

_BACKENDS = (LocalSandboxConfig, DockerSandboxConfig, UnsafeSandboxConfig)
KINDS = tuple(str(config.model_fields["kind"].default) for config in _BACKENDS)

# Any registered sandbox config, picked by its `kind` field.
SandboxConfig = Annotated[Union[_BACKENDS], Field(discriminator="kind")]  # type: ignore[valid-type]

__all__ = ["KINDS", "DockerSandboxConfig", "LocalSandboxConfig", "SandboxConfig", "UnsafeSandboxConfig", "make_sandbox"]


def make_sandbox(config: SandboxSettings, preload: tuple[str, ...] = ()) -> Sandbox:
    """Build the backend a config names. Raises SandboxUnavailable if it cannot isolate."""
    return config.build(preload)
