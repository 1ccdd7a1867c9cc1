"""Where this checkout is: the default data, site, configuration and cache folders are in it."""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGE = REPO_ROOT / "plansite"
