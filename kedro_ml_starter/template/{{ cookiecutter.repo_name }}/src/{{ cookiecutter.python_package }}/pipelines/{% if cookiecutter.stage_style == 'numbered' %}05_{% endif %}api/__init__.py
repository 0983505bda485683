"""Stage 05: score new rows with the persisted transformers and model.

`kedro run --pipelines <this stage>` scores the catalog's `new_rows` in batch (nodes.py,
pipeline.py); `kedro serve` serves the same model over HTTP (app.py).
"""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
