"""Contexts for the API-database object tests (which also use the `database` fixture)."""

import pytest

from nova import context as nova_context


@pytest.fixture
def admin_ctx(database):
    return nova_context.get_admin_context()


@pytest.fixture
def user_ctx(database):
    """A non-admin user of project 'p1'."""
    return nova_context.RequestContext(user_id='u1', project_id='p1')


@pytest.fixture
def other_ctx(database):
    """A non-admin user of another project, 'p2'."""
    return nova_context.RequestContext(user_id='u2', project_id='p2')
