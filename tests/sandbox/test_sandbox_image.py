"""docker/sandbox.Dockerfile holds everything that runs inside a docker sandbox, and
nothing that could not import there (checked without Docker: the file is read, not built)."""

from __future__ import annotations

import ast
import re
import sys
from importlib import metadata
from pathlib import Path

from sandbox import docker_backend
from sandbox.config import DockerSandboxConfig

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "docker" / "sandbox.Dockerfile").read_text()
# import names of the distributions the image installs
IMPORT_NAMES = {"sympy": "sympy", "math-verify": "math_verify", "latex2sympy2_extended": "latex2sympy2_extended",
                "antlr4-python3-runtime": "antlr4", "pytest": "pytest"}  # fmt: skip


def copies() -> dict[str, str]:
    """source file -> where it lands in the image."""
    out = {}
    for line in re.findall(r"^COPY (.+)$", DOCKERFILE, re.M):
        *sources, dest = line.split()
        for source in sources:
            out[source] = dest + Path(source).name if dest.endswith("/") else dest
    return out


def pins() -> dict[str, str]:
    return dict(re.findall(r'"([A-Za-z0-9_.-]+)==([0-9.]+)"', DOCKERFILE))


def test_every_in_sandbox_module_is_copied() -> None:
    copied = copies()
    assert all((ROOT / source).is_file() for source in copied)
    assert copied["sandbox/judged_run.py"] == docker_backend.JUDGED_RUN
    for module in ("verifiers.code.harness", "verifiers.math.symbolic"):
        parts = module.split(".")
        for depth in range(1, len(parts) + 1):  # the module and every package above it
            path = "/".join(parts[:depth]) + (".py" if depth == len(parts) else "/__init__.py")
            assert copied.get(path) == f"/opt/assay/{path}", path


def test_copied_modules_import_only_what_the_image_has() -> None:
    allowed = set(sys.stdlib_module_names) | {"verifiers", "sandbox"} | {IMPORT_NAMES[name] for name in pins()}
    for source in (source for source in copies() if source.endswith(".py")):
        tree = ast.parse((ROOT / source).read_text())
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else [])
            for name in names:
                assert name.split(".")[0] in allowed | {"__future__"}, f"{source} imports {name}, which the image lacks"
                if name.startswith(("verifiers.", "sandbox.")):  # Assay's own modules: copied too
                    path = name.replace(".", "/")
                    assert f"{path}.py" in copies() or f"{path}/__init__.py" in copies(), f"{source} imports {name}, not copied"


def test_pinned_versions_match_this_environment() -> None:
    assert pins() and {name: metadata.version(name) for name in pins()} == pins()


def test_the_default_image_is_the_one_make_builds() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert f"SANDBOX_IMAGE ?= {DockerSandboxConfig().image}" in makefile
    recipe = makefile.split("sandbox-image:")[1].split("\n\n")[0]
    assert "docker build" in recipe and "-f docker/sandbox.Dockerfile" in recipe and "-t $(SANDBOX_IMAGE)" in recipe


def test_the_staleness_check_reads_every_module_the_image_holds() -> None:
    """`docker_backend.IMAGE_MODULES` (what the backend compares with this checkout when
    it starts) names exactly the Assay modules the Dockerfile copies under /opt/assay."""
    copied = {source: dest.removeprefix("/opt/assay/") for source, dest in copies().items() if dest.startswith("/opt/assay/")}
    assert copied and {local: inside for inside, local in docker_backend.IMAGE_MODULES.items()} == copied
