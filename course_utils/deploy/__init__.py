"""The system a team would ship (lesson 06): every variant of the course's models behind one
interface, and the ``course-sentiment`` console script (:mod:`.cli`) that scores a CSV file.

>>> from course_utils.deploy import VARIANTS, load_analyzer        # doctest: +SKIP
>>> load_analyzer("student-int8").predict(["Great kettle!"])       # doctest: +SKIP
"""

from .variants import (
    GPU_VARIANTS,
    MODELS,
    ONLINE_VARIANTS,
    TOKEN_BUDGET,
    VARIANTS,
    LexiconAnalyzer,
    available_variants,
    build_analyzer,
    describe,
    in_format,
    load_analyzer,
    parse,
    quantized_int8,
)

__all__ = ["GPU_VARIANTS", "MODELS", "ONLINE_VARIANTS", "TOKEN_BUDGET", "VARIANTS",
           "LexiconAnalyzer", "available_variants", "build_analyzer", "describe", "in_format",
           "load_analyzer", "parse", "quantized_int8"]
