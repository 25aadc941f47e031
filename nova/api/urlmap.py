"""The paste composite dispatching on the URL path prefix (``/``, ``/v2``, ``/v2.1``).

The longest matching prefix wins and moves from PATH_INFO to SCRIPT_NAME. A key ending in
``/+`` matches only paths that continue past the prefix: api-paste.ini maps ``/v2.1`` (the
bare version document, no auth needed for discovery) and ``/v2.1/+`` (the authenticated API)
to different apps.
"""

import webob.exc


def urlmap_factory(loader, global_conf, **local_conf):
    url_map = URLMap()
    for key, app_name in local_conf.items():
        url_map.add(key, loader.get_app(app_name, global_conf=global_conf))
    return url_map


class URLMap:

    def __init__(self):
        self.entries = []  # (prefix, needs_more, app), most specific first

    def add(self, key, app):
        needs_more = key.endswith('/+')
        prefix = key[:-2] if needs_more else key
        prefix = '/' + prefix.strip('/') if prefix.strip('/') else ''
        self.entries.append((prefix, needs_more, app))
        # Longest prefix first; for the same prefix "/+" (needs more) before the bare one.
        self.entries.sort(key=lambda e: (len(e[0]), e[1]), reverse=True)

    def _match(self, path):
        for prefix, needs_more, app in self.entries:
            if prefix and not (path == prefix or path.startswith(prefix + '/')):
                continue
            rest = path[len(prefix):]
            if needs_more and not rest.startswith('/'):
                continue
            return prefix, rest, app
        return None

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        match = self._match(path)
        if match is None:
            return webob.exc.HTTPNotFound()(environ, start_response)
        prefix, rest, app = match
        environ['SCRIPT_NAME'] = environ.get('SCRIPT_NAME', '') + prefix
        environ['PATH_INFO'] = rest
        return app(environ, start_response)
