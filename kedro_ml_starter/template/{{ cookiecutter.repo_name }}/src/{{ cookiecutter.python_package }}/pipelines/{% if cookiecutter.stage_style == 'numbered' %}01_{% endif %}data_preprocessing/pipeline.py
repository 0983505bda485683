"""Stage 01 as a Kedro pipeline: raw CSV in, three parquet splits out."""

from kedro.pipeline import Node, Pipeline

from .nodes import clean_data, split_data, validate_raw_data


def create_pipeline(**kwargs) -> Pipeline:
    return Pipeline(
        [
            Node(
                validate_raw_data,
                "raw_penguins",
                "validated_penguins",
                name="validate_raw_data",
            ),
            Node(
                clean_data,
                ["validated_penguins", "params:data_preprocessing"],
                "clean_penguins",
                name="clean_data",
            ),
            Node(
                split_data,
                ["clean_penguins", "params:data_preprocessing"],
                ["penguins_train", "penguins_eval", "penguins_test"],
                name="split_data",
            ),
        ]
    )
