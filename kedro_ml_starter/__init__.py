"""kedro-ml-structure: the `ml-structure` Kedro starter (a cookiecutter template shipped
inside the wheel), the runtime its projects import, and the layout contract (`manifest`,
`template_record`, `naming`, `kinds`, `errors`) that the `kedro layout` plugin reads.

Nothing here imports the plugin: it may import this package, never the reverse.
"""

from pathlib import Path

__version__ = "0.3.0"

TEMPLATE_PATH = Path(__file__).parent / "template"
