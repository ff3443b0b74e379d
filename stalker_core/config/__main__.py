"""``python -m stalker_core.config --write|--check``: the files generated from the declaration."""

from __future__ import annotations

from stalker_core.config.text import main

if __name__ == "__main__":
    raise SystemExit(main())
