"""Drivers that let the devcloud's OpenStack services run without hypervisor or storage.

Each module plugs into one service, loaded by that service's own configuration:

- ``ml2``: neutron's ``squall_noop`` mechanism driver (agentless port binding) and,
  through it, the agentless trunk driver of ``trunk``;
- ``volume``: cinder's ``FileVolumeDriver`` (volumes are sparse files);
- ``virt``: nova's ``SquallFakeDriver`` (the fake virt driver, plus snapshots and uptime).

``sparse`` is the standard-library helper ``volume`` copies files with.
"""
