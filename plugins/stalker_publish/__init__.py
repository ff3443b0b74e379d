"""Package placeholder; filled in by its issue."""
