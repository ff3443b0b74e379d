"""Entry point ``publish``: the built-in publish collector, validators, extractor, integrator."""

from __future__ import annotations

from stalker_publish.collect import stalker_publish_collect
from stalker_publish.extract import extract_workfile
from stalker_publish.integrate import integrate_to_publish_dir
from stalker_publish.validators import (
    validate_file_location,
    validate_fps,
    validate_frame_range,
    validate_references,
    validate_scene_saved,
    validate_unsaved_changes,
    validate_version_match,
)

__all__ = [
    "extract_workfile",
    "integrate_to_publish_dir",
    "stalker_publish_collect",
    "validate_file_location",
    "validate_fps",
    "validate_frame_range",
    "validate_references",
    "validate_scene_saved",
    "validate_unsaved_changes",
    "validate_version_match",
]
