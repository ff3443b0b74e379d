"""The bounded, immutable Jinja2 sandbox every template renders in.

:class:`StalkerSandbox` is Jinja's
:class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` (no list, set or
dict can be changed: ``append``, ``clear``, ``pop``... are refused) that
also

* refuses underscore attributes, the database handles of models
  (``query``, ``metadata``, ``registry``) and any attribute or method of a
  model object: templates see :class:`~stalker_core.templates.values.EntityValues`
  only, and of those only the declared names;
* charges the :class:`~stalker_core.templates.limits.Budget` of the render:
  a step for each loop iteration (the loop's iterable is wrapped when the
  template is compiled), each call and each filter; the size of every value
  built by an operator, a ``~`` concatenation, a list, tuple or dict
  literal, a call or a filter; the characters printed by ``{{ }}``
  (also into macros and set blocks). Operations that grow their operands
  (``*``, ``**``, ``%``, ``~``, padding, ``replace``, ``join``, format
  widths...) are estimated *before* they run
  (:mod:`stalker_core.templates.prechecks`). ``range()`` longer than
  ``max_steps`` is refused at once; ``lipsum`` is removed;
* does not fold constants at compile time (a constant expression could
  otherwise build a huge value before any check runs).

:class:`BoundedTemplate` renders with a fresh budget and counts the output.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sized
from typing import Any

from jinja2 import Template, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg

from stalker_core.exceptions import TemplateLimitError
from stalker_core.orm.inspection import is_mapped_instance
from stalker_core.templates.limits import (
    STEPS_KEY,
    Budget,
    TemplateLimits,
    activate,
    bounded_iter,
    current_budget,
    deactivate,
)
from stalker_core.templates.prechecks import (
    check_binop,
    check_brace_format,
    check_growth,
    check_percent_format,
)
from stalker_core.templates.values import EntityValues

#: attributes a template may never read, whatever the object
FORBIDDEN_ATTRIBUTES = frozenset({"query", "metadata", "registry", "mro", "gi_frame", "f_globals"})

#: the operators whose results are checked before they are built
INTERCEPTED_BINOPS = frozenset({"*", "**", "+", "%", "//"})


class BoundedCodeGenerator(CodeGenerator):
    """Compiles templates so loops, concatenations and literals go through the budget."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:  # noqa: N802 - Jinja's name
        # for x in <iter>  ->  for x in environment.bounded_iter(<iter>)
        node.iter = nodes.Call(
            nodes.EnvironmentAttribute("bounded_iter", lineno=node.lineno),
            [node.iter], [], None, None, lineno=node.lineno,
        )
        super().visit_For(node, frame)

    def _checked(self, visit: Callable[[], None]) -> None:
        self.write("environment.checked_value(")
        visit()
        self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:  # noqa: N802
        if frame.eval_ctx.volatile or frame.eval_ctx.autoescape:  # Markup joining: Jinja's
            self._checked(lambda: super(BoundedCodeGenerator, self).visit_Concat(node, frame))
            return
        self.write("environment.checked_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:  # noqa: N802
        self._checked(lambda: super(BoundedCodeGenerator, self).visit_List(node, frame))

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:  # noqa: N802
        self._checked(lambda: super(BoundedCodeGenerator, self).visit_Dict(node, frame))

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:  # noqa: N802
        if node.ctx != "load":  # a loop or assignment target: nothing is built
            super().visit_Tuple(node, frame)
            return
        self._checked(lambda: super(BoundedCodeGenerator, self).visit_Tuple(node, frame))


class BoundedTemplate(Template):
    """A template that renders within :class:`~stalker_core.templates.limits.TemplateLimits`."""

    environment: StalkerSandbox

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render like :meth:`jinja2.Template.render`, within the limits."""
        return self.render_bounded(dict(*args, **kwargs), self.name or "<template>")

    def render_bounded(self, context: Mapping[str, Any], name: str) -> str:
        """Render with ``context``; ``name`` names the template in limit errors.

        :raises TemplateLimitError: a limit was hit, memory ran out or calls
            nested too deeply.
        """
        env = self.environment
        budget = Budget(env.limits or TemplateLimits.from_config(), name)
        token = activate(budget)
        try:
            parts: list[str] = []
            for chunk in self.root_render_func(self.new_context(dict(context))):
                budget.wrote(chunk)
                parts.append(chunk)
            return str(env.concat(parts))  # type: ignore[attr-defined]
        except TemplateLimitError:
            raise
        except MemoryError:
            raise TemplateLimitError(
                f"template {name} ran out of memory while rendering; keep the values it "
                f"builds under templates.max_output ({budget.limits.max_output})",
                template=name, limit="memory",
            ) from None
        except RecursionError:
            raise TemplateLimitError(
                f"template {name} nests macro calls too deeply (a macro calling itself "
                "without end?)",
                template=name, limit="recursion",
            ) from None
        except Exception:
            env.handle_exception()
        finally:
            deactivate(token)


def bounded_range(*args: int) -> range:
    """``range()`` for templates: refused when longer than ``templates.max_steps``."""
    budget = current_budget()
    rng = range(*args)
    if len(rng) > budget.limits.max_steps:
        raise budget.fail(
            STEPS_KEY, budget.limits.max_steps,
            f"asks for range{args} of {len(rng)} items, more than it may loop over",
        )
    return rng


def bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap the filter ``func`` so it charges a step, checks its growth and its result."""
    skip = 2 if _PassArg.from_obj(func) is not None else 1  # (context,) value, args...

    @functools.wraps(func)
    def filter_within_budget(*args: Any, **kwargs: Any) -> Any:
        budget = current_budget()
        budget.step()
        if len(args) >= skip:
            value, rest = args[skip - 1], args[skip:]
            if name == "join" and not isinstance(value, Sized):
                value = list(bounded_iter(value))  # to know what join would build
                args = (*args[: skip - 1], value, *rest)
            if name == "format":
                check_percent_format(budget, str(value), rest or kwargs)
            else:
                check_growth(budget, name, value, rest, kwargs)
        return budget.check_size(func(*args, **kwargs), f"the filter {name!r} built a value")

    return filter_within_budget


def _string_method(obj: Any) -> tuple[str, str] | None:
    """``(the string, the method name)`` when ``obj`` is a bound method of a string.

    The sandbox hands out ``format``/``format_map`` wrapped; the wrapper
    keeps the method as ``__wrapped__``.
    """
    target = getattr(obj, "__wrapped__", obj)
    owner = getattr(target, "__self__", None)
    if isinstance(owner, str):
        return owner, str(getattr(target, "__name__", ""))
    return None


class StalkerSandbox(ImmutableSandboxedEnvironment):
    """The sandbox of every template (see the module docstring).

    :param limits: the limits of each render (default: the configuration's,
        read at each render).
    """

    code_generator_class = BoundedCodeGenerator
    template_class = BoundedTemplate
    intercepted_binops = INTERCEPTED_BINOPS

    def __init__(self, *args: Any, limits: TemplateLimits | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("optimized", False)
        kwargs.setdefault("finalize", self.printed_value)
        super().__init__(*args, **kwargs)
        self.limits = limits
        self.globals["range"] = bounded_range
        del self.globals["lipsum"]  # pages of lorem ipsum: nothing a path needs
        #: (type, attribute) -> allowed; Jinja's rule depends on nothing else
        self._safe_cache: dict[tuple[type, str], bool] = {}
        #: type -> whether its instances are model objects
        self._model_types: dict[type, bool] = {}

    def _is_model(self, obj: Any) -> bool:
        """Whether ``obj`` is a model object (cached per type)."""
        kind = type(obj)
        known = self._model_types.get(kind)
        if known is None:
            known = is_mapped_instance(obj)
            if len(self._model_types) < 10_000:
                self._model_types[kind] = known
        return known

    # -- what a template may reach --------------------------------------------------------

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if isinstance(obj, EntityValues):
            return attr in object.__getattribute__(obj, "_entity").names
        key = (type(obj), attr)
        safe = self._safe_cache.get(key)
        if safe is None:
            safe = (
                not (attr in FORBIDDEN_ATTRIBUTES or attr.startswith("_"))
                and not self._is_model(obj)
                and bool(super().is_safe_attribute(obj, attr, value))
            )
            if len(self._safe_cache) < 10_000:
                self._safe_cache[key] = safe
        return safe

    def is_safe_callable(self, obj: Any) -> bool:
        owner = getattr(obj, "__self__", None)
        if self._is_model(obj) or (owner is not None and self._is_model(owner)):
            return False
        return bool(super().is_safe_callable(obj))

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, EntityValues):
            entity = object.__getattribute__(obj, "_entity")
            if attribute not in entity.names:
                return self.undefined(
                    f"{entity.kind} has no attribute {attribute!r}; a template can read "
                    f"{', '.join(entity.names)} (docs/templates.md)",
                    obj=obj, name=attribute,
                )
        elif self._is_model(obj):
            return self.undefined(
                f"{type(obj).__name__} object has no attribute {attribute!r} a template "
                "may read: templates see the read-only values of docs/templates.md, "
                "not model objects",
                obj=obj, name=attribute,
            )
        return super().getattr(obj, attribute)

    # -- the budget ------------------------------------------------------------------------

    def bounded_iter(self, iterable: Any) -> Any:
        """The iterable of a ``for`` loop, charging a step per item."""
        return bounded_iter(iterable)

    def checked_value(self, value: Any) -> Any:
        """``value`` if its size is within ``max_output``."""
        return current_budget().check_size(value)

    def printed_value(self, value: Any) -> Any:
        """``value`` printed by ``{{ }}``, charged to the render's printed characters."""
        return current_budget().printing(value)

    def checked_concat(self, values: tuple[Any, ...]) -> str:
        """``a ~ b ~ ...``: the operands' sizes are summed before they are joined."""
        budget = current_budget()
        parts = [str(budget.check_size(v)) for v in values]
        budget.check_count(sum(map(len, parts)), "joins values with ~ into a huge one")
        return "".join(parts)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = current_budget()
        check_binop(budget, operator, left, right)
        return budget.check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any,  # noqa: N805 - Jinja's signature
             **kwargs: Any) -> Any:
        budget = current_budget()
        budget.step()
        if isinstance(__obj, LoopContext) and args:  # loop(children) in a recursive loop
            args = (bounded_iter(args[0]), *args[1:])
        method = _string_method(__obj)
        if method is not None:
            text, name = method
            if name == "format":
                check_brace_format(budget, text, args, kwargs)
            elif name == "format_map":
                check_brace_format(budget, text, (), args[0] if args else {})
            elif name == "join":
                if args and not isinstance(args[0], Sized):
                    args = (list(bounded_iter(args[0])), *args[1:])
                check_growth(budget, name, args[0] if args else (), (text,), {})
            else:
                check_growth(budget, name, text, args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        return budget.check_size(result, "a call built a value")

    def wrap_filters(self) -> None:
        """Make every filter charge the budget (after plugins added theirs)."""
        for name, func in list(self.filters.items()):
            if not getattr(func, "__stalker_bounded__", False):
                wrapped = bounded_filter(name, func)
                wrapped.__stalker_bounded__ = True  # type: ignore[attr-defined]
                self.filters[name] = wrapped
