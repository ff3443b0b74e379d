"""The built-in publish plugin (entry point ``publish`` -> :mod:`stalker_publish.plugin`)."""
