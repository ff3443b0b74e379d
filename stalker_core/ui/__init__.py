"""stalker_core.ui."""
