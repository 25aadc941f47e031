"""The release this tree builds."""

from importlib import metadata

try:
    VERSION = metadata.version('nova')
except metadata.PackageNotFoundError:  # running from a source tree
    VERSION = '0.1.0'


def version_string():
    return VERSION
