"""A pure-Python Go text/template implementation (parser side), matching Go 1.24 + Sprig v3.3.0 + µTask.

`parse` turns a template string into a `Tree` of nodes (see `engine.templating.nodes`), raising
`TemplateError` with Go's exact message; `check_syntax` returns that error instead of raising.
"""

from engine.templating.errors import TemplateError
from engine.templating.functions_names import FUNCTION_NAMES
from engine.templating.nodes import Tree
from engine.templating.parser import check_syntax, parse

__all__ = ["FUNCTION_NAMES", "TemplateError", "Tree", "check_syntax", "parse"]
