"""The agent bundle: a zipapp of ``squall.dataplane.agent`` that runs on any Python 3.8+.

The package is copied under the top-level name ``squall_agent`` (its modules use
relative imports only), with a ``__main__`` that starts it. The bundle's HMAC under
the run secret is what a bootstrap (cloud-init user-data) checks before running it, so
nothing but the signed bundle ever runs on an instance.
"""

from __future__ import annotations

import hashlib
import hmac
import zipfile
from pathlib import Path

from squall.dataplane import agent as agent_package

PACKAGE = "squall_agent"
_MAIN = f"import sys\nfrom {PACKAGE}.main import main\nsys.exit(main())\n"


def build_bundle(target: Path, custom_tests: Path | None = None) -> Path:
    """Write the zipapp to ``target`` (deterministic: same sources, same bytes).

    ``custom_tests``: a folder whose ``*.py`` files become ``squall_agent/custom/``.
    """
    source = Path(agent_package.__file__).parent
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(source.glob("*.py")):
            _add(archive, f"{PACKAGE}/{path.name}", path.read_bytes())
        _add(
            archive,
            f"{PACKAGE}/custom/__init__.py",
            (source / "custom" / "__init__.py").read_bytes(),
        )
        for path in sorted(custom_tests.glob("*.py")) if custom_tests else []:
            if path.name != "__init__.py":
                _add(archive, f"{PACKAGE}/custom/{path.name}", path.read_bytes())
        _add(archive, "__main__.py", _MAIN.encode())
    return target


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def bundle_signature(bundle: Path, secret: str) -> str:
    """HMAC-SHA256 (hex) of the bundle's bytes under the run secret."""
    return bundle_signature_bytes(bundle.read_bytes(), secret)


def bundle_signature_bytes(data: bytes, secret: str) -> str:
    return hmac.new(secret.encode("ascii"), data, hashlib.sha256).hexdigest()
