"""stalker_core.cli."""
