"""Stage 05 (batch) as a Kedro pipeline: new rows in, predictions out."""

from kedro.pipeline import Node, Pipeline

from .nodes import score_new_rows


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                score_new_rows,
                [
                    "new_penguins",
                    "model_verdicts",
                    "params:serving",
                    "params:batch_scoring",
                ],
                "penguin_predictions",
                name="score_new_rows",
            ),
        ]
    )
