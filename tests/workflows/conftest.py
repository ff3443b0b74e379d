"""Fixtures of the workflow tests: a project on a temporary repository, hosts, a plugin manager."""

from __future__ import annotations

from wf_fixtures import demo, host, pm

__all__ = ["demo", "host", "pm"]
