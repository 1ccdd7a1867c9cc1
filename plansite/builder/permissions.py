"""Modes of the published tree: directories 0755, files 0644, whatever the umask of the build."""
from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o755
FILE_MODE = 0o644


def make_readable(tree: Path) -> None:
    """Let any user (nginx's worker is www-data or nobody) read every file and enter every folder.
    The build's staging folder comes from mkdtemp (0700), and a umask of 077 makes files 0600."""
    os.chmod(tree, DIR_MODE)
    for folder, dirs, files in os.walk(tree):
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, DIR_MODE)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, FILE_MODE)
