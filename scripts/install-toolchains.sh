#!/usr/bin/env bash
# The compilers and runtimes the code verifier judges other languages with
# (verifiers/code/languages.py), from Debian packages, where missing. Needs root on a
# Debian host; elsewhere install them yourself (`assay sandbox check` lists what it finds).
set -euo pipefail
need=()
command -v g++ >/dev/null || need+=(g++)
command -v gcc >/dev/null || need+=(gcc)
{ command -v javac >/dev/null && command -v jar >/dev/null; } || need+=(default-jdk-headless)
command -v node >/dev/null || need+=(nodejs)
[ -x /usr/bin/go ] || need+=(golang-go)
[ -x /usr/bin/rustc ] || need+=(rustc)  # the sandbox sees /usr only: not a rustup install in ~/.cargo
if [ ${#need[@]} -eq 0 ]; then
    echo "toolchains: all present (g++, gcc, javac, node, go, rustc)"
    exit 0
fi
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
    echo "toolchains: missing ${need[*]}; install them (Debian: apt-get install ${need[*]}) to judge those languages" >&2
    exit 1
fi
echo "toolchains: installing ${need[*]} (Debian packages)"
{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >/dev/null
