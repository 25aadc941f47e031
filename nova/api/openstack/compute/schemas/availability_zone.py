"""Request schemas of /os-availability-zone."""

# Neither list takes parameters; unknown ones are ignored before 2.75 and refused from it.
index_query = {'type': 'object', 'properties': {}, 'additionalProperties': True}
index_query_v275 = {'type': 'object', 'properties': {}, 'additionalProperties': False}
