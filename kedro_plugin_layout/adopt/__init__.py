"""Adopting a user's data file (`kedro layout use-data`): read it and decide its data
contract, and where it goes. This layer reads (the user's file, the project's config);
it writes nothing: the command plans the writes with `edits/` (`Plan.put_file`, the
config edits of `edits/catalog.py`) and `render/use_data.py` shows the decisions.

- `source`: the file (CSV or Parquet), read exactly as the catalog entry written for it
  reads it, and the scoring sample written from it;
- `columns`: each column's kind and role (pandera's inference, post-processed into
  plausibility limits, categories, ignored identifiers, constants, free text and dates);
- `inference`: the target, the task and the contract made of the columns;
- `estimator`: the estimator the new task needs, when the configured one cannot learn it;
- `destinations`: where the file and its sample go (the entries' folders, resolved).

pandas and pandera are imported by the functions that need them: the CLI imports this
package's command only when `use-data` runs.
"""
