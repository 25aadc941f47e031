from nova import context


def test_round_trip_keeps_identity_and_request_id():
    ctx = context.RequestContext('user', 'project', roles=['member'], remote_address='10.0.0.1')
    copy = context.RequestContext.from_dict(ctx.to_dict())
    assert (copy.user_id, copy.project_id, copy.request_id) == ('user', 'project',
                                                               ctx.request_id)
    assert copy.roles == ['member'] and not copy.is_admin
    assert copy.timestamp == ctx.timestamp
    assert copy.remote_address == '10.0.0.1'


def test_admin_role_makes_admin_and_elevated_keeps_request_id():
    assert context.RequestContext('u', 'p', roles=['Admin']).is_admin
    ctx = context.RequestContext('u', 'p', roles=['member'])
    elevated = ctx.elevated(read_deleted='yes')
    assert elevated.is_admin and 'admin' in elevated.roles
    assert elevated.request_id == ctx.request_id and elevated.read_deleted == 'yes'
    assert not ctx.is_admin and ctx.read_deleted == 'no'


def test_read_deleted_rejects_unknown_values():
    import pytest
    with pytest.raises(ValueError):
        context.RequestContext('u', 'p', read_deleted='maybe')


def test_admin_context():
    ctx = context.get_admin_context()
    assert ctx.is_admin and ctx.user_id is None
