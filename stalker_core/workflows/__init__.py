"""stalker_core.workflows."""
