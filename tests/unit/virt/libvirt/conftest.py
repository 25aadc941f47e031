"""The driver fixtures of test_driver for the other libvirt driver test modules."""

from tests.unit.virt.libvirt.test_driver import ctx  # noqa: F401
from tests.unit.virt.libvirt.test_driver import drv  # noqa: F401
