"""`python -m kedro_plugin_layout check [PATH]`: the same engine outside a Kedro project."""

from kedro_plugin_layout.cli import layout

if __name__ == "__main__":
    layout(prog_name="python -m kedro_plugin_layout")
