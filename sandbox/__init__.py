"""Isolation backends for untrusted code: local namespaces (default), docker, unsafe.

Kept import-light on purpose: the local backend's fork server imports this package, and
every module it holds makes each fork slower.
"""
