"""stalker_core.scheduling."""
