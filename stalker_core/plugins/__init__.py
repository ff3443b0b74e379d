"""stalker_core.plugins."""
