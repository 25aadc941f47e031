"""ImagePropertiesFilter: architecture, hypervisor type, vm mode and version."""

import pytest

from nova.scheduler.filters import image_props_filter
from tests.unit.scheduler import fakes


def _passes(host, **props):
    spec = fakes.request_spec(image={'id': 'img', 'properties': props})
    return image_props_filter.ImagePropertiesFilter().host_passes(host, spec)


def test_no_properties_pass_anywhere():
    assert _passes(fakes.host_state(cpu_info='{}'))


def test_architecture_type_and_mode():
    host = fakes.host_state()  # x86_64 QEMU
    assert _passes(host, hw_architecture='x86_64')
    assert _passes(host, hw_architecture='amd64')  # canonicalised
    assert not _passes(host, hw_architecture='aarch64')
    assert _passes(host, img_hv_type='kvm', hw_vm_mode='hvm')
    assert _passes(host, img_hv_type='QEMU')
    assert not _passes(host, img_hv_type='xen')
    assert not _passes(host, hw_vm_mode='xen')


def test_legacy_and_top_level_names():
    host = fakes.host_state()
    spec = fakes.request_spec(image={'architecture': 'aarch64'})
    assert not image_props_filter.ImagePropertiesFilter().host_passes(host, spec)
    spec = fakes.request_spec(image={'hw_architecture': 'x86_64'})
    assert image_props_filter.ImagePropertiesFilter().host_passes(host, spec)


def test_host_without_supported_instances_fails_constrained_images():
    host = fakes.host_state(cpu_info='{}')
    assert not _passes(host, hw_architecture='x86_64')


def test_requested_hypervisor_version():
    host = fakes.host_state(hypervisor_version=8000000)  # 8.0.0
    assert _passes(host, img_hv_requested_version='>=6.0')
    assert _passes(host, img_hv_requested_version='>=7.1, <9')
    assert not _passes(host, img_hv_requested_version='<8')
    assert not _passes(host, img_hv_requested_version='junk')


@pytest.mark.parametrize('version, requirement, expected', [
    ('8.0.0', '8', True), ('8.0.0', '==8.0', True), ('8.0.1', '>8', True),
    ('1.2.3', '!=1.2.3', False), ('1.2.3', '>=1.2, <1.3', True),
])
def test_version_satisfies(version, requirement, expected):
    assert image_props_filter.version_satisfies(version, requirement) is expected
