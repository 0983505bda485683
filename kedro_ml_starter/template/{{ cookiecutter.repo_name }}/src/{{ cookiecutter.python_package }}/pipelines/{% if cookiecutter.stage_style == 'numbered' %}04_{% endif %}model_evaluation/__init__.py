"""Stage 04: metrics on the eval and test splits, and a figure to look at."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
