"""The libvirt driver fixtures (test:///default driver, admin context) for every module
here; test_driver.py defines them."""

from tests.unit.virt.libvirt.test_driver import ctx  # noqa: F401
from tests.unit.virt.libvirt.test_driver import drv  # noqa: F401
