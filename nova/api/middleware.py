"""The base of nova's WSGI middlewares: wraps an app and has a paste filter factory."""


class Middleware:
    """Subclasses implement ``__call__(environ, start_response)`` (usually via wsgify)."""

    @classmethod
    def factory(cls, global_config, **local_config):
        """paste.filter_factory: ``[filter:x] paste.filter_factory = module:Class.factory``."""
        def make_filter(app):
            return cls(app, **local_config)
        return make_filter

    def __init__(self, application, **local_config):
        self.application = application
        self.local_config = local_config
