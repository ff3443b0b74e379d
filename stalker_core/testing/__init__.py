"""Test support shipped with stalker_core.

* :class:`~stalker_core.testing.fake_host.FakeHost` - an in-memory host with
  call recording, simulated unsaved changes, fault injection and a chosen
  set of capabilities (all by default);
* :mod:`stalker_core.testing.host_contract` - the contract suite every host
  adapter runs against itself, per claimed capability (imports pytest, so
  import it from tests only);
* :mod:`stalker_core.testing.pgserver` - a throwaway PostgreSQL server.
"""

from __future__ import annotations

from stalker_core.testing.fake_host import FakeHost

__all__ = ["FakeHost"]
