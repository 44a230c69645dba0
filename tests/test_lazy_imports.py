"""`s11sync --version` and a warm run do not pay for imports they do not use.

Checked in a fresh interpreter (a subprocess): importing the CLI loads neither PyGithub, jsonschema,
requests nor the terrain code; `--version` answers without them too.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("github", "jsonschema", "requests", "s11sync.terrain", "s11sync.outputs.activity_terrain")


def _loaded_after(code: str) -> dict[str, bool]:
    probe = f"import sys\n{code}\nprint(','.join(str(name in sys.modules) for name in {HEAVY!r}))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return dict(
        zip(HEAVY, (flag == "True" for flag in out.stdout.strip().splitlines()[-1].split(",")))
    )


def test_importing_the_cli_loads_no_heavy_module():
    loaded = _loaded_after("import s11sync.cli")
    assert not any(loaded.values()), loaded


def test_version_loads_no_heavy_module():
    loaded = _loaded_after(
        "from s11sync.cli import main\ntry:\n    main(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert not any(loaded.values()), loaded


def test_the_probe_sees_a_module_that_is_loaded():
    # the check can fail: importing the validator does load jsonschema
    assert _loaded_after("import s11sync.validate")["jsonschema"] is True
