"""`kedro layout`: audit and extend the numbered ML project layout.

The entry module stays import-light: Kedro imports every plugin on every `kedro` call.
The version is the distribution's, kept with the contract in `kedro_ml_starter`.
"""

from kedro_ml_starter import __version__

__all__ = ["__version__"]
