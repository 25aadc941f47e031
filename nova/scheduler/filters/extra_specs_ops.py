"""Matching a value against an extra spec requirement with upstream's operators.

A requirement is either a plain string (equality) or an operator followed by operands:
``= 4`` (at least, numerically), ``== 4``, ``!= 4``, ``>= 4``, ``<= 4`` (numeric),
``s== x``, ``s!= x``, ``s< x``, ``s<= x``, ``s> x``, ``s>= x`` (string comparisons),
``<in> x`` (x is a substring of the value), ``<all-in> x y`` (every word is in the value)
and ``<or> a <or> b`` (the value is one of the alternatives).
"""

import operator


def _numeric(compare):
    def check(value, operand):
        return compare(float(value), float(operand))
    return check


_BINARY = {
    '=': _numeric(operator.ge),
    '==': _numeric(operator.eq),
    '!=': _numeric(operator.ne),
    '>=': _numeric(operator.ge),
    '<=': _numeric(operator.le),
    's==': operator.eq,
    's!=': operator.ne,
    's<': operator.lt,
    's<=': operator.le,
    's>': operator.gt,
    's>=': operator.ge,
    '<in>': lambda value, operand: operand in value,
}


def match(value, requirement):
    """Does ``value`` (a string, or None when the host lacks it) satisfy ``requirement``?"""
    words = requirement.split()
    op = words[0] if words else None
    if op not in _BINARY and op not in ('<or>', '<all-in>'):
        return value == requirement
    if value is None:
        return False
    operands = words[1:]
    if op == '<or>':
        # "<or> a <or> b": the alternatives sit between the <or> keywords.
        return value in [word for word in operands if word != '<or>']
    if not operands:
        return False
    if op == '<all-in>':
        return all(word in value for word in operands)
    try:
        return _BINARY[op](value, operands[0])
    except ValueError:  # a numeric operator on something that is not a number
        return False
