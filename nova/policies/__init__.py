"""The default policy rules, one module per area; ``list_rules`` feeds the enforcer and
oslopolicy-sample-generator (namespace ``nova``)."""

import itertools

from nova.policies import base
from nova.policies import flavors
from nova.policies import images
from nova.policies import keypairs
from nova.policies import operators
from nova.policies import server_actions
from nova.policies import servers


def list_rules():
    return list(itertools.chain(
        base.RULES,
        flavors.list_rules(),
        images.list_rules(),
        keypairs.list_rules(),
        operators.list_rules(),
        server_actions.list_rules(),
        servers.list_rules(),
    ))
