"""Translation marker; messages stay English unless a catalog is installed."""

import oslo_i18n

_translators = oslo_i18n.TranslatorFactory(domain='nova')
_ = _translators.primary
