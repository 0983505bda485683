"""Stage 03: train the model on the training features only and save it, versioned."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
