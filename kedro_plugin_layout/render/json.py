"""Machine output: one JSON document with a stable, versioned schema.

The schema is documented in docs/check.md, under "Output formats". Version 1 gained
`column` in each result and the top-level `notes` without breaking a reader of the
earlier keys.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from kedro_plugin_layout import __version__
from kedro_plugin_layout.check.engine import FAIL, PASS, SKIP, CheckReport

SCHEMA_VERSION = 1


def render(report: CheckReport) -> str:
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "kedro-layout", "version": __version__},
        "project": str(report.root),
        "summary": {
            "rules": len(report.rules),
            "passed": report.count(PASS),
            "failed": report.count(FAIL),
            "skipped": report.count(SKIP),
            "findings": len(report.findings),
        },
        "results": [asdict(result) for result in report.results],
        "notes": list(report.notes),
    }
    return json.dumps(document, indent=2) + "\n"
