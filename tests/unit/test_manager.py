from nova import manager


class _Manager(manager.Manager):
    def __init__(self):
        super().__init__(host='h')
        self.calls = []

    @manager.periodic_task(spacing=5)
    def fixed(self, context):
        self.calls.append(('fixed', context.is_admin))

    @manager.periodic_task(spacing_option='scheduler.periodic_task_interval')
    def from_group_option(self, context):
        pass

    @manager.periodic_task(spacing_option='update_resources_interval')
    def default_interval(self, context):
        pass

    @manager.periodic_task()
    def failing(self, context):
        raise RuntimeError('boom')


def _spacings(mgr):
    return {c.__name__: c._periodic_spacing for c, _a, _k in mgr.periodic_callables()}


def test_spacing_from_value_option_and_default(conf):
    conf.set_override('periodic_interval', 42)
    conf.set_override('periodic_task_interval', 7, group='scheduler')
    conf.set_override('update_resources_interval', 0)
    assert _spacings(_Manager()) == {'fixed': 5, 'from_group_option': 7,
                                     'default_interval': 42, 'failing': 42}


def test_negative_spacing_disables(conf):
    conf.set_override('update_resources_interval', -1)
    assert 'default_interval' not in _spacings(_Manager())


def test_task_runs_with_admin_context_and_failures_are_contained():
    mgr = _Manager()
    runners = {c.__name__: c for c, _a, _k in mgr.periodic_callables()}
    runners['fixed']()
    runners['failing']()  # logged, not raised
    assert mgr.calls == [('fixed', True)]
