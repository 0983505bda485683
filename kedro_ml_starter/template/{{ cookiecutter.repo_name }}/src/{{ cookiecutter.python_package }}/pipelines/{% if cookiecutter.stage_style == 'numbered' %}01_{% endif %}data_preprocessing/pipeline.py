"""Stage 01 as a Kedro pipeline: raw data in, three parquet splits out."""

from kedro.pipeline import Node, Pipeline

from .nodes import clean_data, split_data, validate_raw_data


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                validate_raw_data,
                ["raw_data", "params:data_contract"],
                "validated_rows",
                name="validate_raw_data",
            ),
            Node(
                clean_data,
                [
                    "validated_rows",
                    "params:data_contract",
                    "params:data_preprocessing",
                ],
                "clean_rows",
                name="clean_data",
            ),
            Node(
                split_data,
                ["clean_rows", "params:data_contract", "params:data_preprocessing"],
                ["train_split", "eval_split", "test_split"],
                name="split_data",
            ),
        ]
    )
