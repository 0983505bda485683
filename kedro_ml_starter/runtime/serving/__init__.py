"""The HTTP serving runtime behind `kedro serve`: a generated project's `05_api/app.py`
calls `app.create_app`, which builds its request model from the project's data contract
(`rows.row_model`).

Modules: `rows` (the request model of a column table), `settings` (the `serving:`
parameters, one pydantic model), `project` (opening the Kedro project, finding its
serving stage), `artifacts` (the newest complete model version and its scorer),
`scorers`, `http` (errors, size limit, API key), `docs` (the docs pages and their
files), `app` (the FastAPI app) and `cli` (`kedro serve`). This module imports none of
them: `cli` is loaded on every `kedro` call and must stay light.
"""
