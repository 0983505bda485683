"""Stage 03 as a Kedro pipeline: training features in, model and its metadata out{% if cookiecutter.engine != 'spark' %},
then the ONNX graph the HTTP app serves{% endif %}."""

from kedro.pipeline import Node, Pipeline

from .nodes import {% if cookiecutter.engine != 'spark' %}export_onnx, {% endif %}train_model


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                train_model,
                ["train_features", "params:model_training"],
                ["model", "model_metadata"],
                name="train_model",
            ),
{%- if cookiecutter.engine != 'spark' %}
            Node(
                export_onnx,
                ["feature_transformers", "model", "model_metadata", "params:serving"],
                "model_onnx",
                name="export_onnx",
            ),
{%- endif %}
        ]
    )
