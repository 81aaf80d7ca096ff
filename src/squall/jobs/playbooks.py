"""The Ansible playbooks a ``--format squall`` job runs, shipped as data.

They go to ``playbooks/squall/`` in the project: Zuul resolves a job's ``run`` and
``post-run`` against the top folder of the repository that defines the job, and
OpenStack projects keep their job playbooks under ``playbooks/`` (``rally-jobs/``
holds what the task itself reads). ``run.yaml`` deploys DevStack, installs squall,
runs the task and writes the reports into the job's logs; ``post.yaml`` makes sure
the reports are there even when the run was cut short; ``vars.yaml`` reads the
job's variables for both.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PLAYBOOK_DIR = Path("playbooks") / "squall"
RUN = PLAYBOOK_DIR / "run.yaml"
POST_RUN = PLAYBOOK_DIR / "post.yaml"
_FILES = ("run.yaml", "post.yaml", "vars.yaml")


def playbook_files() -> dict[Path, str]:
    """Path in the project -> text, for every playbook file of the job."""
    data = resources.files("squall.jobs").joinpath("zuul_playbooks")
    return {PLAYBOOK_DIR / name: data.joinpath(name).read_text("utf-8") for name in _FILES}
