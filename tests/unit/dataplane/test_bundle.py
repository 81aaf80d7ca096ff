"""The agent bundle is a self-contained zipapp that imports nothing from squall."""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

from squall.dataplane import agent as agent_package
from squall.dataplane.bundle import PACKAGE, build_bundle, bundle_signature

STDLIB = set(sys.stdlib_module_names)


def test_agent_modules_import_only_the_standard_library_and_each_other():
    for path in Path(agent_package.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: inside the agent package
                    continue
                names = [(node.module or "").split(".")[0]]
            else:
                continue
            for name in names:
                assert name in STDLIB or name == "uvloop", f"{path.name} imports {name}"


def test_bundle_is_deterministic_and_signed(tmp_path):
    first = build_bundle(tmp_path / "a.pyz")
    second = build_bundle(tmp_path / "b.pyz")
    assert first.read_bytes() == second.read_bytes()
    assert bundle_signature(first, "k") == bundle_signature(second, "k")
    assert bundle_signature(first, "k") != bundle_signature(first, "other")
    names = zipfile.ZipFile(first).namelist()
    assert "__main__.py" in names
    assert f"{PACKAGE}/main.py" in names
    assert f"{PACKAGE}/protocol.py" in names


def test_bundle_runs_in_an_isolated_interpreter(tmp_path):
    bundle = build_bundle(tmp_path / "agent.pyz")
    result = subprocess.run(
        [sys.executable, "-I", str(bundle), "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "--config" in result.stdout


def test_custom_tests_travel_inside_the_bundle(tmp_path):
    folder = tmp_path / "custom"
    folder.mkdir()
    (folder / "probe.py").write_text("def run(target, args, duration):\n    return {}\n")
    bundle = build_bundle(tmp_path / "agent.pyz", folder)
    names = zipfile.ZipFile(bundle).namelist()
    assert f"{PACKAGE}/custom/probe.py" in names
    assert f"{PACKAGE}/custom/__init__.py" in names
    assert bundle_signature(bundle, "k") != bundle_signature(build_bundle(tmp_path / "b.pyz"), "k")
