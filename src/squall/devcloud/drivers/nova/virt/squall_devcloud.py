"""nova loads a compute driver only from its own ``nova.virt`` package: this module,
installed there with squall's devcloud drivers, names squall's one.

``compute_driver = squall_devcloud.SquallFakeDriver``.
"""

from squall_devcloud_drivers.virt import SquallFakeDriver  # type: ignore[import-not-found]

__all__ = ["SquallFakeDriver"]
