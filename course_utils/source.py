"""The real source of a course function, shown in a lesson: the definition that runs, not a
copy (if the function changes, so does what the lesson shows)."""

from __future__ import annotations

import inspect
import textwrap


def show_source(obj):
    """The source of ``obj`` (a function, method or class) as highlighted code, headed by the
    module and name it is defined under."""
    from IPython.display import Code

    header = f"# {obj.__module__}.{obj.__qualname__}\n"
    return Code(header + textwrap.dedent(inspect.getsource(obj)), language="python")
