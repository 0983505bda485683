"""`kedro layout upgrade`'s parts: where each template version comes from
(`template_archive`), rendering one with a project's answers (`render`), following renamed
stage folders (`stage_folders`), the manifest's place in pyproject.toml (`pyproject`),
the answers of projects that recorded none (`answers`) and the per-file three-way
decision (`three_way`). The command itself is `commands/upgrade.py`.
"""
