"""Stage 02 as a Kedro pipeline: one `fit` node on train, one `transform` node per split."""

from kedro.pipeline import Node, Pipeline

from .nodes import fit_transformers, transform_split


def create_pipeline(**kwargs) -> Pipeline:
    transform_nodes = [
        Node(
            transform_split,
            [f"{split}_split", "feature_transformers", "params:data_contract"],
            f"{split}_features",
            name=f"transform_{split}",
            tags=["transform"],
        )
        for split in ("train", "eval", "test")
    ]
    return Pipeline(
        [
            Node(
                fit_transformers,
                [
                    "train_split",
                    "params:data_contract",
                    "params:feature_engineering",
                ],
                "feature_transformers",
                name="fit_transformers",
                tags=["fit"],
            ),
            *transform_nodes,
        ]
    )
