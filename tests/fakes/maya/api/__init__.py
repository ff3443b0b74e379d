"""FAKE ``maya.api`` package (Maya Python API 2.0) - only ``OpenMaya.MSceneMessage``. Not Maya."""
