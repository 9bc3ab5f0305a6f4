"""LaTeX words the math stages share: the verifier's own process (`numbers`, `extract`) and
the sandbox (`symbolic`). Pure `re`, no other imports: the sandbox image ships this module
beside `symbolic.py` (`sandbox.docker_backend.IMAGE_MODULES`)."""

from __future__ import annotations

import re

# Commands whose argument is words: `5\text{ cm}`, `x = 2 \text{ or } x = 3`. Only these hold units.
WORD_COMMANDS = r"\\(?:text|textrm|textbf|textit|textup|mathrm|mbox)"
# ... and those that name a function or a bold symbol, which may also hold a connective
TEXT_COMMANDS = r"\\(?:text|textrm|textbf|textit|textup|mathrm|mbox|mathbf|operatorname)"
TEXT = re.compile(rf"{TEXT_COMMANDS}\s*\{{([^{{}}]*)\}}")  # group 1: the argument
PLUS_MINUS = re.compile(r"\\(?:pm|mp)(?![a-zA-Z])|±|∓")  # never `\pmod`
INEQUALITY = re.compile(r"[<>≤≥]|\\(?:[lg]eq?|[lg]t|[lg]eqslant)(?![a-zA-Z])")  # `<`, `\\geq`, `≤`
# Words that join alternatives or conditions (`5 \text{ (or 7)}`, `\text{ (if n is even, else 7)}`)
CONNECTIVES = ("or", "if", "unless", "otherwise", "else", "when", "except", "either")
# Words of a remark in an answer that deny it (`5 \text{ (rejected)}`) or offer another value beside it
# (`5 \text{ (also 6)}`): never a unit or a restatement
DENIALS = ("wrong", "incorrect", "rejected", "reject", "extraneous", "invalid", "discarded", "discard", "impossible", "not")
DOUBTS = ("also", "maybe", "perhaps", "possibly", "alternatively", "too")
# Numbers spelled as words, to their digits (`(or five)` restates 5)
DIGIT_WORDS = {word: str(n) for n, word in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
# A list that goes on, after its last element: `, ...`, `, …`, `, \dots`, `, \cdots`, `, \ldots`, and a full stop
LIST_ELLIPSIS = r",\s*(?:\.{3,}|…|\\[lc]?dots(?![a-zA-Z]))\s*\.?"
# The Greek letters' names, as plain text spells them (`theta`, `omega_0`): symbols, not words
GREEK_NAMES = (r"(?:alpha|beta|gamma|delta|epsilon|varepsilon|zeta|eta|theta|vartheta|iota|kappa|lambda|mu|nu|xi|rho|sigma"
               r"|tau|upsilon|phi|varphi|chi|psi|omega|Gamma|Delta|Theta|Lambda|Xi|Sigma|Phi|Psi|Omega)")
# The trigonometric functions' names (an angle's functions; `arc` before them, `h` after)
TRIG_NAMES = r"(?:sin|cos|tan|cot|sec|csc)"
# A degree mark: `30^\circ`, `30^{\circ}`, `30°`, `30\degree`, and written as an o: `30^{\text{o}}`, `30^o`
_DEGREE_SIGN = r"\\circ(?![a-zA-Z])|\\(?:text|mathrm|rm)\s*\{\s*(?:o|\\circ)\s*\}|o(?![a-zA-Z])"
DEGREE = re.compile(rf"\^\s*(?:\{{\s*(?:{_DEGREE_SIGN})\s*\}}|(?:{_DEGREE_SIGN}))|°|\\(?:text)?degree(?![a-zA-Z])")
