"""The rules of `kedro layout check`, one module per family; `base` holds the registry."""
