"""Stage 02: fit the feature transformers on train only, then features for every split."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
