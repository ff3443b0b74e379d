"""stalker_core.testing."""
