"""Integration tests need the real broker and database servers; skip cleanly without them."""

import shutil

import pytest

from tests import databases


def pytest_collection_modifyitems(config, items):
    if shutil.which('rabbitmqctl') is None:
        skip = pytest.mark.skip(reason='rabbitmqctl not found: RabbitMQ is not installed')
        for item in items:
            item.add_marker(skip)


@pytest.fixture(params=['postgresql', 'mysql'])
def backend(request):
    if not databases.server_available(request.param):
        pytest.skip('%s server not reachable' % request.param)
    return request.param
