"""Load plugin classes (filters, weighers) named in configuration.

Each configured entry is the dotted path of a class, or of a function returning a list of
classes (so ``nova.scheduler.filters.all_filters`` names every filter we ship).
"""

import inspect

from oslo_utils import importutils


def load_classes(paths):
    """The classes named by ``paths``, in order, without duplicates. ImportError when one
    cannot be found."""
    classes = []
    for path in paths:
        found = importutils.import_class(path)
        for cls in [found] if inspect.isclass(found) else list(found()):
            if cls not in classes:
                classes.append(cls)
    return classes


def classes_in_modules(package_name, module_names, base_class):
    """Every public subclass of ``base_class`` defined in the package's named modules."""
    classes = []
    for module_name in module_names:
        module = importutils.import_module('%s.%s' % (package_name, module_name))
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, base_class) and obj is not base_class and \
                    obj.__module__ == module.__name__ and not obj.__name__.startswith('_'):
                classes.append(obj)
    return classes
