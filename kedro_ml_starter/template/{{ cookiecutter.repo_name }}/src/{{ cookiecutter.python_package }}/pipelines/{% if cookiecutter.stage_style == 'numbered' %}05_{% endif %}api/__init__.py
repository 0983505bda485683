"""Stage 05: score new rows with the persisted transformers and model.

`kedro run --pipelines <this stage>` scores data/06_scoring/new_penguins.csv in batch
(nodes.py, pipeline.py); `kedro serve` serves the same model over HTTP (app.py).
"""

from kedro.pipeline import Pipeline


def create_pipeline(**kwargs) -> Pipeline:
    # Imported here, not at the top: the server imports this package to reach app.py, and
    # the batch nodes would bring scikit-learn into a server that scores ONNX without it.
    from .pipeline import create_pipeline as create

    return create(**kwargs)


__all__ = ["create_pipeline"]
