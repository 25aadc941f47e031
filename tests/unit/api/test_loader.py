import os

import pytest

from nova import exception
from nova.api import loader
from tests.unit.api.client import call

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))


def test_default_is_the_packaged_file(conf):
    assert loader.find_paste_config() == loader.PACKAGED_PASTE_CONFIG
    assert os.path.exists(loader.PACKAGED_PASTE_CONFIG)


def test_etc_copy_is_a_relative_link_to_the_packaged_file():
    etc = os.path.join(REPO, 'etc', 'nova', 'api-paste.ini')
    assert os.path.islink(etc)
    assert not os.path.isabs(os.readlink(etc))
    assert os.path.samefile(etc, loader.PACKAGED_PASTE_CONFIG)


def test_absolute_path_is_used_as_is(conf, tmp_path):
    path = tmp_path / 'paste.ini'
    path.write_text('[app:hello]\npaste.app_factory = '
                    'nova.api.openstack.compute.versions:Versions.factory\n')
    conf.set_override('api_paste_config', str(path), group='wsgi')
    assert loader.find_paste_config() == str(path)
    resp = call(loader.load_app('hello'), '/')
    assert resp.json['versions'][1]['id'] == 'v2.1'


def test_missing_files_are_reported(conf, tmp_path):
    conf.set_override('api_paste_config', str(tmp_path / 'nope.ini'), group='wsgi')
    with pytest.raises(exception.ConfigNotFound):
        loader.load_app()
    conf.set_override('api_paste_config', 'other-name.ini', group='wsgi')
    with pytest.raises(exception.ConfigNotFound):
        loader.load_app()


def test_unknown_app_name(conf):
    with pytest.raises(exception.PasteAppNotFound):
        loader.load_app('no_such_app')
