"""What generated projects import instead of owning a copy: tested, versioned machinery.

A generated project is the user's from the first day, and a fix to a copy never reaches
them; so the parts that are not the user's ML problem live here, in this distribution,
and projects depend on it (`kedro-ml-structure` in their requirements.txt):

- `hooks`: one readable line for a stage run too early and for data that fails its schema.
- `progress`: a line per finished node (load / run / save time, elapsed, peak memory).
- `validation`: pandera building blocks and the one-line description of a failure.
- `spark_validation`: the same pandera schema checked on a Spark DataFrame in one pass.
- `spark`: the Spark session of a project, started from conf/<env>/spark.yml.
- `spark_datasets`: a versioned catalog dataset for fitted Spark ML models.
- `datasets` / `versions`: model datasets that never hand out a half-written version.
- `onnx_export` / `spark_onnx` / `onnx_scoring`: the ONNX graph of a fitted scikit-learn
  or Spark ML model, its parity check, and scoring it without scikit-learn or a JVM.
- `serving`: the HTTP runtime behind `kedro serve`, and the request model it derives
  from a project's column table (`serving.rows`).

Importing this package imports nothing: Kedro reads a project's settings.py (which
imports the hooks) on every `kedro` command, so each module keeps its imports light and
pulls in what it needs (Kedro, onnxruntime, FastAPI, scikit-learn) itself.
"""
