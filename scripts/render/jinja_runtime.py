"""Run the templates' stored Python with Jinja2's runtime alone, without its compiler.

The Python Jinja2 generates for a template (templates/precompiled.json) needs only
``jinja2.runtime`` (contexts, loops, macros), the filters and tests, and an environment object
to look names up in. ``import jinja2`` brings far more: its ``__init__`` imports the environment
module, and with it the lexer, parser, compiler, optimizer and the loaders and bytecode caches,
about 17 ms of a cold ``build --check`` spent on code that never runs when every template has
current stored code.

So a template whose stored code is current (same source checksum, same settings, same Jinja2: see
stored_templates.py) runs in ``StoredEnvironment``: the package
``jinja2`` is registered without running its ``__init__`` (its first missing attribute, such as
``jinja2.Environment``, runs it then, so a later ``import jinja2`` anywhere gets the whole
package), and the few ``Environment`` and ``Template`` methods the generated code and the
filters call are re-stated here from Jinja2 3.1 (environment.py), with the same semantics.
Any other template is compiled by the full environment (made, and Jinja2 imported whole, only
then). tests/test_templating.py renders every page both ways and compares the bytes.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import ChainMap
from typing import Any

from ..lazy_patterns import import_with_lazy_patterns
from .stored_templates import StoredTemplates, source_checksum

_DICT_ATTRIBUTES = frozenset(dir(dict))


def import_runtime() -> None:
    """Import jinja2.runtime, .filters, .tests and .defaults, without jinja2/__init__ if it has not run."""
    if "jinja2" not in sys.modules:
        spec = importlib.util.find_spec("jinja2")
        if spec is None or spec.loader is None:
            raise ImportError("jinja2 is not installed")
        package = importlib.util.module_from_spec(spec)

        def complete(name: str) -> Any:
            """PEP 562: the first attribute the bare package lacks runs its __init__ in place."""
            del package.__dict__["__getattr__"]
            spec.loader.exec_module(package)
            return getattr(package, name)

        package.__dict__["__getattr__"] = complete
        sys.modules["jinja2"] = package
    # filters, tests, runtime, utils, nodes, markupsafe; urlize's and other filters' patterns compiled if used
    import_with_lazy_patterns("jinja2.defaults", "jinja2")


class StoredTemplate:
    """jinja2.Template's run-time half (from_code, render, modules for {% import %})."""

    def __init__(self, environment: StoredEnvironment, code: Any):
        namespace = {"environment": environment, "__file__": code.co_filename}
        exec(code, namespace)
        self.environment = environment
        self.globals = ChainMap({}, environment.globals)  # Environment.make_globals(None)
        self.name = namespace["name"]
        self.filename = namespace["__file__"]
        self.blocks = namespace["blocks"]
        self.root_render_func = namespace["root"]
        self._module = None
        namespace["__jinja_template__"] = self

    def new_context(self, vars: dict | None = None, shared: bool = False, locals: dict | None = None) -> Any:
        from jinja2.runtime import new_context

        return new_context(self.environment, self.name, self.blocks, vars, shared, self.globals, locals)

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.environment.concat(self.root_render_func(self.new_context(dict(*args, **kwargs))))

    def make_module(self, vars: dict | None = None, shared: bool = False, locals: dict | None = None) -> Any:
        return StoredModule(self, self.new_context(vars, shared, locals))

    def _get_default_module(self, ctx: Any = None) -> Any:
        if ctx is not None:
            keys = ctx.globals_keys - self.globals.keys()
            if keys:
                return self.make_module({k: ctx.parent[k] for k in keys})
        if self._module is None:
            self._module = self.make_module()
        return self._module


class StoredModule:
    """jinja2.environment.TemplateModule: an imported template, its exported macros as attributes."""

    def __init__(self, template: StoredTemplate, context: Any):
        self._body_stream = list(template.root_render_func(context))
        self.__dict__.update(context.get_exported())
        self.__name__ = template.name

    def __str__(self) -> str:
        return "".join(self._body_stream)


class StoredEnvironment:
    """The attributes and methods of jinja2.Environment that generated code, the runtime and the
    built-in filters and tests use, for Markdown templates: no autoescape, no extensions, sync only.
    Built by ``templating.environment``; ``get_template`` checks that the stored code can serve a
    template, and hands it to the full environment when not."""

    is_async = False
    autoescape = False
    optimized = True
    sandboxed = False
    line_statement_prefix = line_comment_prefix = None
    newline_sequence = "\n"
    keep_trailing_newline = True

    def __init__(self, folder: str, stored: StoredTemplates, make_full: Any, *, trim_blocks: bool = False,
                 lstrip_blocks: bool = False, finalize: Any = None):
        import_runtime()
        from jinja2 import defaults
        from jinja2.runtime import Context, StrictUndefined

        self.folder = folder
        self.stored = stored
        self.block_start_string, self.block_end_string = defaults.BLOCK_START_STRING, defaults.BLOCK_END_STRING
        self.variable_start_string = defaults.VARIABLE_START_STRING
        self.variable_end_string = defaults.VARIABLE_END_STRING
        self.comment_start_string = defaults.COMMENT_START_STRING
        self.comment_end_string = defaults.COMMENT_END_STRING
        self.trim_blocks, self.lstrip_blocks = trim_blocks, lstrip_blocks
        self.undefined = StrictUndefined
        self.finalize = finalize
        self.filters = defaults.DEFAULT_FILTERS.copy()
        self.tests = defaults.DEFAULT_TESTS.copy()
        self.globals = defaults.DEFAULT_NAMESPACE.copy()
        self.policies = defaults.DEFAULT_POLICIES.copy()
        self.context_class = Context
        self.extensions: dict = {}
        self._templates: dict[str, Any] = {}
        self._make_full = make_full  # () -> the full environment with the same options and filters
        self._full: Any = None

    concat = "".join

    def get_template(self, name: str, parent: str | None = None, globals: dict | None = None) -> Any:
        """The template from its stored code when that is current, else from the full environment
        (which compiles it). Either can import the other's templates."""
        template = self._templates.get(name)
        if template is None:
            from .templating import settings

            path = os.path.join(self.folder, name)
            with open(path, encoding="utf-8") as handle:
                checksum = source_checksum(handle.read())
            if self.stored.usable(name, checksum, settings(self)):
                template = StoredTemplate(self, self.stored.code(name, path))
            else:
                if self._full is None:
                    self._full = self._make_full()
                template = self._full.get_template(name, parent, globals)
            self._templates[name] = template
        return template

    # The lookups, as templating.Environment does them (a dict's key without a failed getattr first),
    # and otherwise as jinja2.Environment.getattr / getitem.
    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return self.undefined(obj=obj, name=argument)

    def call_filter(self, name: str, value: Any, args: Any = None, kwargs: Any = None, context: Any = None,
                    eval_ctx: Any = None) -> Any:
        return self._filter_test_common(name, value, args, kwargs, context, eval_ctx, True)

    def call_test(self, name: str, value: Any, args: Any = None, kwargs: Any = None, context: Any = None,
                  eval_ctx: Any = None) -> Any:
        return self._filter_test_common(name, value, args, kwargs, context, eval_ctx, False)

    def _filter_test_common(self, name: Any, value: Any, args: Any, kwargs: Any, context: Any, eval_ctx: Any,
                            is_filter: bool) -> Any:
        from jinja2.exceptions import TemplateRuntimeError
        from jinja2.nodes import EvalContext
        from jinja2.runtime import Undefined
        from jinja2.utils import _PassArg

        env_map, type_name = (self.filters, "filter") if is_filter else (self.tests, "test")
        func = env_map.get(name)
        if func is None:
            msg = f"No {type_name} named {name!r}."
            if isinstance(name, Undefined):
                try:
                    name._fail_with_undefined_error()
                except Exception as e:
                    msg = f"{msg} ({e}; did you forget to quote the callable name?)"
            raise TemplateRuntimeError(msg)
        args = [value, *(args if args is not None else ())]
        kwargs = kwargs if kwargs is not None else {}
        pass_arg = _PassArg.from_obj(func)
        if pass_arg is _PassArg.context:
            if context is None:
                raise TemplateRuntimeError(f"Attempted to invoke a context {type_name} without context.")
            args.insert(0, context)
        elif pass_arg is _PassArg.eval_context:
            if eval_ctx is None:
                eval_ctx = context.eval_ctx if context is not None else EvalContext(self)
            args.insert(0, eval_ctx)
        elif pass_arg is _PassArg.environment:
            args.insert(0, self)
        return func(*args, **kwargs)
