"""The standalone host: work files are plain files on disk (see :mod:`.host`)."""

from __future__ import annotations

from stalker_standalone.host import SIDECAR_SUFFIX, StandaloneHost, sidecar_of

__all__ = ["SIDECAR_SUFFIX", "StandaloneHost", "sidecar_of"]
