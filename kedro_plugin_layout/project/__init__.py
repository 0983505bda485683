"""The project as read: its paths and manifest, configuration, catalog, pipelines, files
and git state. Reading only: nothing here writes to a project or knows about rules."""
