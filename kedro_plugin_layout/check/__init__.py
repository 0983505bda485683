"""`kedro layout check`: named facts computed once, rules as small classes, the engine
that runs them and returns frozen results. Reads the project through `project`."""
