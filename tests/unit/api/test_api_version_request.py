import pytest

from nova import exception
from nova.api.openstack import api_version_request as avr


@pytest.mark.parametrize('text, expected', [
    ('2.1', (2, 1)), ('2.104', (2, 104)), ('2.0', (2, 0)), ('10.20', (10, 20)),
])
def test_parses_major_minor(text, expected):
    version = avr.APIVersionRequest(text)
    assert (version.ver_major, version.ver_minor) == expected
    assert version.get_string() == text


@pytest.mark.parametrize('text', [
    '2', '2.', '.1', '2.01', '02.1', '0.1', 'a.b', '2.1.1', '', ' 2.1', '2.-1', 'latest',
    '2.1a', 'compute 2.1',
])
def test_refuses_malformed_strings(text):
    with pytest.raises(exception.InvalidAPIVersionString) as info:
        avr.APIVersionRequest(text)
    assert info.value.code == 400
    assert 'Must be of format MajorNum.MinorNum' in info.value.format_message()


def test_compares_numerically_not_as_text():
    assert avr.APIVersionRequest('2.9') < avr.APIVersionRequest('2.10')
    assert avr.APIVersionRequest('2.100') > avr.APIVersionRequest('2.99')
    assert avr.APIVersionRequest('3.0') > avr.APIVersionRequest('2.104')
    assert avr.APIVersionRequest('2.53') == avr.APIVersionRequest('2.53')
    assert avr.APIVersionRequest('2.53') != avr.APIVersionRequest('2.52')
    assert avr.APIVersionRequest('2.53') >= avr.APIVersionRequest('2.53')
    assert len({avr.APIVersionRequest('2.5'), avr.APIVersionRequest('2.5')}) == 1


def test_matches_inclusive_ranges_with_open_ends():
    version = avr.APIVersionRequest('2.53')
    assert version.matches('2.53', '2.53')
    assert version.matches('2.1', '2.53')
    assert not version.matches('2.1', '2.52')
    assert not version.matches('2.54')
    assert version.matches('2.11')
    assert version.matches(None, '2.60')
    assert version.matches(avr.APIVersionRequest(), avr.APIVersionRequest())


def test_null_version():
    null = avr.APIVersionRequest()
    assert null.is_null()
    with pytest.raises(ValueError):
        null.get_string()
    with pytest.raises(ValueError):
        null.matches('2.1')


def test_supported_range():
    assert avr.min_api_version().get_string() == '2.1'
    assert avr.max_api_version().get_string() == '2.104'


def test_header_value_negotiation():
    assert avr.from_header_value(None).get_string() == '2.1'
    assert avr.from_header_value('latest').get_string() == '2.104'
    assert avr.from_header_value('LATEST').get_string() == '2.104'
    assert avr.from_header_value('2.53').get_string() == '2.53'
    for out_of_range in ('2.105', '1.1', '3.0', '2.0'):
        with pytest.raises(exception.InvalidGlobalAPIVersion) as info:
            avr.from_header_value(out_of_range)
        assert info.value.code == 406
        assert info.value.format_message() == (
            'Version %s is not supported by the API. Minimum is 2.1 and maximum is 2.104.'
            % out_of_range)
    with pytest.raises(exception.InvalidAPIVersionString):
        avr.from_header_value('2.x')
