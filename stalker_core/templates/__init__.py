"""stalker_core.templates."""
