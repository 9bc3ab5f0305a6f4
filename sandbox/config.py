"""Sandbox configuration: one pydantic model per backend, picked by `kind`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.base import Sandbox


class _Config(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalSandboxConfig(_Config):
    """Linux namespaces + cgroups on this host (the default)."""

    kind: Literal["local"] = "local"
    limits_via: Literal["auto", "cgroup", "rlimit"] = Field(
        "auto", description="'cgroup' fails at start-up without usable cgroups; 'auto' falls back to rlimits"
    )
    workers: int | None = Field(None, ge=1, le=1024, description="executions at once (default: cores)")


class DockerSandboxConfig(_Config):
    """Warm pool of locked-down containers, one container per execution."""

    kind: Literal["docker"] = "docker"
    image: str = Field(
        "assay-sandbox:latest",
        description="image with the interpreter and Assay's in-sandbox modules (make sandbox-image builds it from docker/sandbox.Dockerfile)",
    )
    python: str = Field("/usr/local/bin/python3", description="interpreter path inside the image")
    pool_size: int | None = Field(None, ge=1, le=256, description="warm containers (default: cores)")
    runtime: str | None = Field(None, description="OCI runtime, e.g. 'runsc' for gVisor")
    base_url: str | None = Field(None, description="Docker engine address (default: the environment's)")


class UnsafeSandboxConfig(_Config):
    """NO ISOLATION: plain subprocesses with rlimits. For debugging on machines without
    namespaces; never for untrusted model output."""

    kind: Literal["unsafe"] = "unsafe"
    i_understand_this_is_not_a_sandbox: bool = Field(
        False, description="must be true: this backend lets candidates read and write your files"
    )


SandboxConfig = Annotated[
    LocalSandboxConfig | DockerSandboxConfig | UnsafeSandboxConfig, Field(discriminator="kind")
]


def make_sandbox(config: LocalSandboxConfig | DockerSandboxConfig | UnsafeSandboxConfig, preload: tuple[str, ...] = ()) -> Sandbox:
    """Build the backend a config names. Raises SandboxUnavailable if it cannot isolate."""
    if isinstance(config, LocalSandboxConfig):
        from sandbox.local.backend import NamespaceSandbox

        return NamespaceSandbox(limits_via=config.limits_via, preload=preload, workers=config.workers)
    if isinstance(config, DockerSandboxConfig):
        from sandbox.docker_backend import DockerSandbox

        return DockerSandbox(config)
    from sandbox.unsafe import UnsafeSandbox

    return UnsafeSandbox(acknowledged=config.i_understand_this_is_not_a_sandbox)
