"""Command-line options that say which OpenStack cloud to use (task start, cleanup)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated

import typer

from squall.api.openstack import CloudOptions

CloudOption = Annotated[
    list[str] | None,
    typer.Option(
        "--cloud",
        help="A clouds.yaml entry, NAME or NAME/REGION (repeatable; the first is the primary). "
        "Default: OS_CLOUD, else the OS_* variables.",
        show_default=False,
    ),
]
DeploymentOption = Annotated[
    Path | None,
    typer.Option(
        "--deployment",
        help="A Rally deployment or env spec file (existing@openstack) instead of clouds.yaml.",
        show_default=False,
    ),
]


def cloud_options(cloud: list[str] | None, deployment: Path | None) -> CloudOptions:
    """The API's view of the options; keystoneauth's own warnings are silenced (squall
    reports every cloud error itself, once)."""
    for noisy in ("keystoneauth", "openstack", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    return CloudOptions(clouds=tuple(cloud or ()), deployment=deployment, environ=dict(os.environ))
