"""Stage 05: score new rows with the persisted transformers and model.

`kedro run --pipelines <this stage>` scores data/06_scoring/new_penguins.csv in batch.
The HTTP app in this folder serves the same `predict_frame` online.
"""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
