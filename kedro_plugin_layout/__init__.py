"""`kedro layout`: audit and extend the numbered ML project layout.

The entry module stays import-light: Kedro imports every plugin on every `kedro` call.
"""

__version__ = "0.3.0"
