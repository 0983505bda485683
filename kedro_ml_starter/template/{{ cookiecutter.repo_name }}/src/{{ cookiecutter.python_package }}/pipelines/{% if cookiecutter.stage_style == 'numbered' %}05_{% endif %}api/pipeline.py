"""Stage 05 (batch) as a Kedro pipeline: new rows in, validated, predictions out."""

from kedro.pipeline import Node, Pipeline

from .nodes import score_new_rows, validate_new_rows


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                validate_new_rows,
                ["new_rows", "params:data_contract"],
                "validated_new_rows",
                name="validate_new_rows",
            ),
            Node(
                score_new_rows,
                [
                    "validated_new_rows",
                    "model_verdicts",
                    "params:data_contract",
                    "params:serving",
                    "params:batch_scoring",
                ],
                "predictions",
                name="score_new_rows",
            ),
        ]
    )
