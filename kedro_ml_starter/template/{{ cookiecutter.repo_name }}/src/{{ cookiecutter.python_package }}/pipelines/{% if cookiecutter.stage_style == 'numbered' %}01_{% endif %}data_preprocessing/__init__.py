"""Stage 01: validate the raw data, clean it and split it into train, eval and test."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
