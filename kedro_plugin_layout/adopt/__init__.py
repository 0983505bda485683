"""Adopting a user's data file (`kedro layout use-data`): read it, infer its data contract,
and plan what the project must change to read it.

- `source`: the file (CSV or Parquet), read exactly as the catalog entry written for it
  reads it, and the scoring sample written from it;
- `inference`: each column's kind and role, the task, and the pandera schema of the
  contract (pandera's own inference, post-processed into plausibility limits);
- `catalog_entries`: the catalog entries rewritten line by line, the user's comments kept;
- `summary`: what was decided, as a table a person reads.

pandas and pandera are imported by the functions that need them: the CLI imports this
package's command only when `use-data` runs.
"""
