"""Findings of a red-team pass over the math verifier (2026-12-03), kept as cases: each
false pass it found must fail, each avoidable false fail must pass, and the nearby
correct readings must stay correct. (reference, completion, choices, passes?)"""

from __future__ import annotations

import pytest

from verifiers.math.problem import MathProblem

T, F = True, False
CASES = [
    # mixed numbers: "2 1/2" is two and a half, never 3/2 and never its last 1/2
    ("\\frac{1}{2}", "He ran 2 1/2 miles.", "", F),
    ("\\frac{3}{2}", "\\boxed{2 1/2}", "", F),
    ("\\frac{5}{2}", "\\boxed{2 1/2}", "", T),
    ("1", "\\boxed{1 1/2}", "", F),
    # thousands written with spaces are one number
    ("80", "Thus 10 080 ways.", "", F),
    ("0", "So there are 1 000 000 ways.", "", F),
    ("1000000", "So there are 1 000 000 ways.", "", T),
    # LaTeX spacing is a space, not nothing
    ("2.5", "\\boxed{2,\\ 5}", "", F),
    ("25", "\\boxed{2\\,5}", "", F),
    ("10000", "\\boxed{10\\,000}", "", T),
    # ... also in the symbolic stage: two numbers apart by spacing are two items (latex2sympy
    # read `2\,3` as 5, `2~3` as 2 and `2\enspace 3` as 3: a hedge passed), thousands groups
    # split by a thin space one number (it read `2\,300\pi` as 600 pi)
    ("5", "\\boxed{2\\,3}", "", F),
    ("5", "\\boxed{2 \\quad 3}", "", F),
    ("2", "\\boxed{2~3}", "", F),
    ("3", "\\boxed{2\\enspace 3}", "", F),
    ("2", "\\boxed{2\\hspace{1em}3}", "", F),
    ("(5, 1)", "\\boxed{(2\\;3, 1)}", "", F),
    ("600\\pi", "\\boxed{2\\,300\\pi}", "", F),
    ("2300\\pi", "\\boxed{\\pi \\cdot 2\\,300}", "", T),
    ("2, 3", "\\boxed{2 \\quad 3}", "", T),
    ("2\\pi", "\\boxed{2\\,\\pi}", "", T),
    # ... but never the arguments of a command (a first version of that rule made `\frac 1 2` 1, 2)
    ("2", "\\boxed{\\frac 1 2}", "", F),
    ("\\frac12", "\\boxed{\\frac 1 2}", "", T),
    ("4", "\\boxed{\\dfrac 3 4}", "", F),
    ("32", "\\boxed{\\log_ 2 32}", "", F),
    ("(\\frac12, 3)", "\\boxed{(\\frac 1 2, 3)}", "", T),
    # decimals: relative below 1, absolute from 1 up
    ("0.0000001", "\\boxed{0.0000009}", "", F),
    ("1.5e-7", "\\boxed{0}", "", F),
    ("\\frac{1}{3}", "\\boxed{0.333333}", "", T),
    ("1000000", "\\boxed{1000000.5}", "", F),
    # ... also where the reference is not a plain number (the symbolic path; Math-Verify
    # rounds both sides to 6 places): an Omni-MATH output's 0.00366 for 1 - 65/(24e)
    ("1-65/24e", "\\boxed{0.00366}", "", F),
    ("e^{-10}", "\\boxed{0.0000454}", "", F),
    ("e^{-10}", "\\boxed{0.0000453999}", "", T),
    ("\\frac{\\sqrt{2}}{1000}", "\\boxed{0.001414214}", "", T),
    ("\\ln 2", "\\boxed{0.693147}", "", T),
    ("(1 - \\frac{65}{24e}, 1)", "\\boxed{(0.00366, 1)}", "", F),  # ... also inside a tuple, an interval or a set
    ("\\{1 - \\frac{65}{24e}, 2\\}", "\\boxed{\\{2, 0.00366\\}}", "", F),
    ("\\{\\sqrt{2}, 3\\}", "\\boxed{\\{3, 1.4142136\\}}", "", T),
    # Omni-MATH outputs (KbsdJames/omni-math-rule @ 7c5fe7ddf5a4753ef021fc3d6ff27f27e74b2c96,
    # evaluation/data/math/inconsistent_case_B.jsonl rows 149, 129, 315, 250, 285, 338; the
    # 0.00366 above is inconsistent_case_A.jsonl row 7): latex2sympy reads a
    # number before \binom as a mixed number (2 + C(30,15)), and a list joined by "and"
    # lost all but its last item or ran its numbers together (-176224)
    ("310235040", "\\boxed{2\\,\\dbinom{30}{15}}", "", T),
    ("155117522", "\\boxed{2\\binom{30}{15}}", "", F),
    ("2 \\cdot \\binom{30}{15}", "\\boxed{2\\binom{30}{15}}", "", T),
    ("224, -176", "\\boxed{-176 \\text{ and }224}", "", T),
    ("-176224", "\\boxed{-176 \\text{ and }224}", "", F),
    ("(0, 0, 0), (1, 1, 0), (2, 0, 2)", "\\boxed{(0,\\ 0,\\ 0),\\ (1,\\ 1,\\ 0),\\ \\text{and}\\ (2,\\ 0,\\ 2)}", "", T),
    ("(2, 0, 2)", "\\boxed{(0,\\ 0,\\ 0),\\ (1,\\ 1,\\ 0),\\ \\text{and}\\ (2,\\ 0,\\ 2)}", "", F),
    ("1, \\frac{1}{2}", "\\boxed{1 \\text{ and } \\frac{1}{2}}", "", T),
    ("5:05(PM)", "\\boxed{5:05 \\text{ PM}}", "", T),
    # a function's argument is a bound name (Omni-MATH, inconsistent_case_B.jsonl rows 320, 354:
    # `f(z) = z`, `f(x)=x` against `f(x) = x`, `f(n) = n`), but never one the answer uses freely
    ("f(x) = x", "\\boxed{f(z) = z}", "", T),
    ("f(n) = n", "\\boxed{f(x)=x}", "", T),
    ("f(x,y) = x + y", "\\boxed{f(a,b) = a + b}", "", T),
    ("f(x) = x^2", "\\boxed{f(y) = x^2}", "", F),
    ("f(x) = x + 1", "\\boxed{f(t) = t + 2}", "", F),
    ("f(x,y) = x - y", "\\boxed{f(a,b) = b - a}", "", F),
    ("f(x) = x", "\\boxed{g(z) = z}", "", F),
    # `\phantom{4}` is invisible: never the answer 4
    ("4", "$\\boxed{\\phantom{4}}$", "", F),
    ("0", "I think $\\boxed{4}$. So the final answer is $\\boxed{\\phantom{0}}$", "", F),
    ("9:45 a.m.", "\\boxed{9:\\!45\\ \\text{a.m.}}", "", T),
    ("123456789", "\\boxed{1.234568 \\times 10^{8}}", "", F),
    ("1", "\\boxed{1.0000001}", "", T),
    # repeating decimals are exact values
    ("2", "\\boxed{2.\\overline{3}}", "", F),
    ("\\frac{1}{3}", "\\boxed{0.\\overline{3}}", "", T),
    ("0.\\overline{3}", "\\boxed{0}", "", F),
    ("\\frac{1}{6}", "\\boxed{0.1\\overline{6}}", "", T),
    # a comma inside one number or one tuple does not make the reference several answers
    ("1,000", "I think it's \\boxed{2000}. Hmm, or maybe \\boxed{1000}.", "", F),
    ("(1,2)", "The point is \\boxed{(3,4)}, or possibly \\boxed{(1,2)}", "", F),
    # choices: several letters are a hedge; the article "a" is not choice A
    ("B", "\\boxed{\\text{(B) and (C)}}", "ABCDE", F),
    ("A", "The answer is a positive number", "ABCDE", F),
    ("B", "The answer is (B).", "ABCDE", T),
    # a base model writing the next question
    ("7", "The answer is $\\boxed{5}$.\n\nQuestion: What is 3+4? The answer is 7.", "", F),
    # unicode mathematics is read, never dropped
    ("2", "\\boxed{2²}", "", F),
    ("4", "\\boxed{2²}", "", T),
    ("\\sqrt{2}", "\\boxed{√2}", "", T),
    ("\\frac{1}{2}", "\\boxed{½}", "", T),
    ("\\frac{5}{2}", "\\boxed{2½}", "", T),
    # magnitude words scale; "squared" and "k" are not units
    ("10", "\\boxed{10\\text{ thousand}}", "", F),
    ("10000", "\\boxed{10\\text{ thousand}}", "", T),
    ("10", "\\boxed{10 squared}", "", F),
    ("10", "\\boxed{10\\text{k}}", "", F),
    ("10000", "\\boxed{10\\text{k}}", "", T),
    ("100", "\\boxed{10 squared}", "", T),
    # unbraced fractions and two-letter units
    ("50\\%", "\\boxed{\\frac12}", "", T),
    ("75\\%", "\\boxed{\\dfrac34}", "", T),
    ("10", "\\boxed{10 cm}", "", T),
    ("12", "The answer is 12 cm^2.", "", T),
    ("13", "The answer is 12 cm^2.", "", F),
    # a value the text denies or asks about is not its answer; "not 7" is not the answer
    ("5", "So the answer cannot be 5.", "", F),
    ("5", "Hence x is not 5.", "", F),
    ("5", "Therefore $x = 5$ is not a solution.", "", F),
    ("5", "So $x=5$ is rejected.", "", F),
    ("5", "So there are more than 5 solutions.", "", F),
    ("5", "Is it 5?", "", F),
    ("7", "The answer is $5$, not $7$.", "", F),
    ("5", "The answer is 5, not 7.", "", T),
    ("5", "The number of apples not eaten is 5.", "", T),
    # A second red-team pass (2026-12-04). A number and letters is a product, not a unit,
    # unless set apart or a word (`5 apples`, `5apples`); upright one-letter symbols stay
    # symbols (the fast path dropped `\mathrm{e}` and `\text{x}` as units; latex2sympy dropped
    # `\mathrm{i}`, so a conjugate passed), unit letters stay units
    ("6abc", "\\boxed{6}", "", F),
    ("10", "\\boxed{10xyz}", "", F),
    ("-12xyz^2", "\\boxed{-12}", "", F),
    ("2", "\\boxed{2\\mathrm{e}}", "", F),
    ("2", "\\boxed{2\\text{x}}", "", F),
    ("2\\mathrm{i}", "\\boxed{2}", "", F),
    ("2", "\\boxed{2\\mathrm{\\pi}}", "", F),
    ("1+\\mathrm{i}", "\\boxed{1-\\mathrm{i}}", "", F),
    ("7", "\\boxed{3+4\\,\\mathrm{i}}", "", F),
    ("3+4i", "\\boxed{3+4\\,\\mathrm{i}}", "", T),
    ("e^2", "\\boxed{\\mathrm{e}^2}", "", T),
    ("5", "\\boxed{5\\,\\mathrm{s}}", "", T),
    # ... words that join alternatives or conditions inside `\text{}` (latex2sympy dropped
    # all from such a `\text{` to the end as a unit)
    ("5", "\\boxed{5 \\text{ (or } 7 \\text{)}}", "", F),
    ("\\frac12", "\\boxed{\\frac12 \\text{ if } n \\text{ is even, } \\frac13 \\text{ if odd}}", "", F),
    ("x^2", "\\boxed{x^2 \\text{ unless } x^3 \\text{ holds}}", "", F),
    ("\\frac12", "\\boxed{\\frac12\\text{/}\\frac13}", "", F),
    ("1, 2", "\\boxed{1 \\text{ or } 2}", "", T),
    # ... LaTeX latex2sympy cannot read is never read as its last number
    ("\\langle 3,2\\rangle", "\\boxed{\\langle 1, 2\\rangle}", "", F),
    ("2", "\\boxed{\\langle 1, 2\\rangle}", "", F),
    ("2", "\\boxed{\\binom 5 2}", "", F),
    ("1.2", "\\boxed{\\lbrace 1,2\\rbrace}", "", F),
    ("2", "\\boxed{2·3}", "", F),
    ("\\langle 3,2\\rangle", "\\boxed{\\langle 3, 2\\rangle}", "", T),
    ("\\{1,2\\}", "\\boxed{\\lbrace 1,2\\rbrace}", "", T),
    ("6", "\\boxed{2·3}", "", T),
    # ... `\pmod` is not `\pm`, and its modulus counts; several ± signs in a list
    ("3", "\\boxed{x \\equiv 3 \\pmod{7}}", "", T),
    ("n \\equiv 2 \\pmod{5}", "\\boxed{n \\equiv 2 \\pmod{6}}", "", F),
    ("\\pm1, \\pm2", "\\boxed{1,-1,2,-2}", "", T),
    ("1,-1,3,-3", "\\boxed{\\pm1, \\pm3}", "", T),
    ("1,-1,3,-3", "\\boxed{\\pm1, \\pm2}", "", F),
    # ... lines are items (latex2sympy kept one line), primes part of a name (deleted), and a
    # numeral's base counts (dropped): Math-Verify passed all the false ones
    ("4", "\\boxed{x=3 \\\\ x=4}", "", F),
    ("4", "\\boxed{\\begin{aligned}x&=3\\\\x&=4\\end{aligned}}", "", F),
    ("3", "\\boxed{3\\\\4}", "", F),
    ("x=3, x=4", "\\boxed{\\begin{aligned}x&=3\\\\x&=4\\end{aligned}}", "", T),
    ("\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", "\\boxed{\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}}", "", T),
    ("y=2x", "\\boxed{y' = 2x}", "", F),
    ("f'(x)", "\\boxed{f(x)}", "", F),
    ("2x", "\\boxed{y' = 2x}", "", T),
    ("1011_2", "\\boxed{1011_3}", "", F),
    ("1011_2", "\\boxed{11}", "", F),
    ("1011_2", "\\boxed{1011}", "", T),
    ("A1_{16}", "\\boxed{a1_{16}}", "", T),
    # ... an interval reference against an inequality answer (Math-Verify reads only the
    # reverse), and a set reference answered by its values joined by "or"
    ("(1,\\infty)", "\\boxed{x>1}", "", T),
    ("[-2,7]", "\\boxed{-2 \\le x \\le 7}", "", T),
    ("(1,\\infty)", "\\boxed{x \\ge 1}", "", F),
    ("[-2,7]", "\\boxed{-2 < x \\le 7}", "", F),
    ("x\\in\\{1,2\\}", "\\boxed{x=1 \\text{ or } x=2}", "", T),
    ("\\{1,2\\}", "\\boxed{1 \\text{ or } 3}", "", F),
    ("(1,2)", "\\boxed{(1,2) \\text{ or } (2,1)}", "", F),
    # ... and a review of those rules (2026-12-04): what a first version of them lost
    ("-3x+2", "\\boxed{2 -3x}", "", T),  # a gap before a minus is a difference, no list
    ("3", "\\boxed{5 -2}", "", T),
    ("4-2i", "\\boxed{(4 -2i)}", "", T),
    ("3.14", "\\boxed{\\approx 3.14}", "", T),  # a leading relation or a font is no LaTeX to misread
    ("12", "\\boxed{\\Rightarrow 12}", "", T),
    ("5", "\\boxed{{\\bf 5}}", "", T),
    ("1, 2, 3", "\\boxed{1, 2, \\text{ or } 3}", "", T),  # no empty items
    ("30", "\\boxed{30^{\\text{o}}}", "", T),  # the degree's o is no symbol
    ("45", "\\boxed{45\\textdegree}", "", T),
    ("B", "\\boxed{\\text{b}}", "", T),  # a whole answer in upright type is a choice
    ("5", "\\boxed{5\\,\\mathrm{d}}", "", T),
    ("60", "\\boxed{60mph}", "", T),
    ("300", "\\boxed{300\\text{ K}}", "", T),  # kelvin, not thousands
    ("x \\equiv 3 \\pmod{7}", "\\boxed{x \\equiv 3 \\quad(\\text{mod } 7)}", "", T),
    ("x \\equiv 3 \\pmod{0}", "\\boxed{x \\equiv 4 \\pmod{0}}", "", F),  # modulus 0 crashed the fast path
    ("5", "\\boxed{5\\text{ (or 7)}}", "", F),  # hedges inside one `\text{}`
    ("5", "\\boxed{5\\text{/7}}", "", F),
    ("5", "\\boxed{5\\text{ (if n is even, else 7)}}", "", F),
    # ... and a second review: remarks stay remarks, hedges stay hedges
    ("6", "\\boxed{6\\text{ (attained when a = b = c = 2)}}", "", T),
    ("8", "\\boxed{8\\text{ (or 480 minutes)}}", "", T),
    ("5", "\\boxed{5\\text{ (or six)}}", "", F),
    ("5", "\\boxed{5\\text{ (or 2^3)}}", "", F),
    ("20", "\\boxed{10 \\sim 20}", "", F),  # only a leading relation or font is noise
    ("5", "\\boxed{{\\bf 3}, {\\bf 5}}", "", F),
    ("5", "\\boxed{3 \\to 5}", "", F),
    ("-1", "\\boxed{2 \\quad -3}", "", F),  # LaTeX spacing before a minus separates items
    ("2, -3", "\\boxed{2 \\quad -3}", "", T),
    ("2", "\\boxed{2\\text{b}}", "", F),
    ("2+b", "\\boxed{2+\\mathrm{b}}", "", T),
    ("5000", "\\boxed{5\\text{K}}", "", T),  # thousands when attached, kelvin when set apart
    # session 22: a number restated in words is no hedge; one value written twice is none
    ("5", "\\boxed{5 \\text{ (or five)}}", "", T),
    ("6", "\\boxed{5 \\text{ (or six)}}", "", F),
    ("2", "\\boxed{x = 2 \\text{ or } x = 2}", "", T),
    ("2", "\\boxed{x = 2 \\text{ or } x = 3}", "", F),
    ("3", "\\boxed{x = 2 \\text{ or } x = 3}", "", F),
    ("2", "The answer is $2$ or $2$.", "", T),
    # ... and "or" between inequalities on one variable is the union of their sets
    ("(-\\infty,1)\\cup(2,\\infty)", "\\boxed{x<1 \\text{ or } x>2}", "", T),
    ("(-\\infty,-1]\\cup[3,\\infty)", "\\boxed{x \\le -1 \\text{ or } x \\ge 3}", "", T),
    ("(-2,1)\\cup(3,\\infty)", "\\boxed{-2<x<1 \\text{ or } x>3}", "", T),
    ("x<1 \\text{ or } x>2", "\\boxed{(-\\infty,1)\\cup(2,\\infty)}", "", T),
    ("(-\\infty,1]\\cup(2,\\infty)", "\\boxed{x<1 \\text{ or } x>2}", "", F),  # an endpoint differs
    ("(-\\infty,1)\\cup(2,\\infty)", "\\boxed{x<1 \\text{ or } y>2}", "", F),  # two variables: no set
    ("(-\\infty,1)\\cup(2,\\infty)", "\\boxed{x<1 \\text{ and } x>2}", "", F),  # "and" is not "or"
    ("(1,2)", "\\boxed{x<1 \\text{ or } x>2}", "", F),
    # ... found by other projects' suites (MARIO_EVAL, AReaL, SkyRL; external/cases.jsonl)
    ("42", "<|im_start|>Answer: \\boxed{42}<|im_end|>", "", T),  # a token that opens the reply is no end
    ("41", "<|im_start|>Answer: \\boxed{42}<|im_end|>", "", F),
    ("41", "\\boxed{41}<|im_end|><|im_start|>user \\boxed{42}", "", T),  # one after content still ends it
    ("f(x) = x^2", "\\boxed{y = x^2}", "", T),  # y names the function's value
    ("f(x) = x^2", "\\boxed{y = x^3}", "", F),
    ("f(x) = x^2", "\\boxed{y = z^2}", "", F),
    ("f(x) = y^2", "\\boxed{y = y^2}", "", F),
    ("f(x) = x^2", "\\boxed{g(x) = x^2}", "", F),
    ("-1", "So $\\boxed{e^{i\\pi} = -1}$", "", T),  # an equation is never its truth value
    ("1", "So $\\boxed{e^{i\\pi} = -1}$", "", F),
    # ... and a red-team pass over those rules (session 22)
    ("4", "<|im_start|>user\nWhat is 2+2? Box it, e.g. \\boxed{4}.<|im_end|>\n<|im_start|>assistant\n\\boxed{5}", "", F),
    ("42", "<|im_end|>Answer: \\boxed{42}", "", F),  # an end token first: nothing of the reply is left
    ("42", "<|im_start|>assistant\nAnswer: \\boxed{42}<|im_end|>", "", T),
    ("y = 2x+3", "\\boxed{f(t) = 2x+3}", "", F),  # the function's argument must be the right side's variable
    ("y = 2x+3", "\\boxed{g(y) = 2x+3}", "", F),
    ("e^{i\\pi}+1 = 0", "\\boxed{e^{i\\pi} = 1}", "", F),  # a false equation between numbers
    ("5", "\\boxed{2+2=5}", "", T),  # against a value the last side is the answer (`x = 5+5+1 = 7 = 11` is 11)
    ("2+2=4", "\\boxed{2+2=5}", "", F),
    ("i^2 = -1", "\\boxed{i^2 = 1}", "", F),
    ("\\pi", "\\boxed{\\pi = 3.1415927}", "", T),  # a decimal is held to 1e-6
    ("z = 1+2i", "\\boxed{z = 1-2i}", "", F),  # latex2sympy's real z made both equations false, so equal
    ("z = 2i", "\\boxed{z = 5i}", "", F),
    ("x = 2i", "\\boxed{x = 2\\mathrm{i}}", "", T),
    ("x<1 \\text{ or } x>2", "\\boxed{x<1 \\text{ and } x>2}", "", F),  # "and" is an intersection (empty here)
    ("(1,5)", "\\boxed{x>1 \\text{ and } x<5}", "", T),
    ("|x|>1", "\\boxed{x<-1 \\text{ or } x>1}", "", T),  # inequalities joined by "or" are no hedge
    ("x \\neq 0", "\\boxed{x<0 \\text{ or } x>0}", "", T),
    ("x \\neq 0", "\\boxed{x<0 \\text{ or } x>1}", "", F),
    ("2", "\\boxed{x<-1 \\text{ or } x>1}", "", F),
    ("x>1", "\\boxed{x > 1 \\text{ or } x = 2}", "", F),
    ("x<1 \\text{ or } \\sin x > 0", "\\boxed{\\sin x > 0 \\text{ or } x<1}", "", T),  # sympy cannot solve sin x > 0
    ("3\\mathbf{i} + 2\\mathbf{j}", "\\boxed{3\\mathbf{i} - 2\\mathbf{j}}", "", F),  # bold letters are symbols
    ("3\\mathbf{i} + 2\\mathbf{j}", "\\boxed{2\\mathbf{j} + 3\\mathbf{i}}", "", T),
    ("1", "\\boxed{1 \\textit{ million}}", "", F),  # every text command holds units and magnitudes
    ("1000000", "\\boxed{1 \\textit{ million}}", "", T),
    ("5", "The answer is $" + "5 \\text{ or } " * 30 + "5$.", "", F),  # a hedge by its length
    # ... and a second red-team pass (session 22)
    ("a<b", "It could be $\\boxed{a>b}$ or $\\boxed{a<b}$.", "", F),  # boxes of comparisons still hedge
    (">", "Either $\\boxed{<}$ or $\\boxed{>}$.", "", F),
    ("x>2", "First guess $\\boxed{x<0}$, but actually $\\boxed{x>2}$.", "", F),
    ("x>2", "\\boxed{t > 2 \\text{ or } t > 3}", "", F),  # the set of another variable
    ("x<1 \\text{ or } x>2", "\\boxed{t<1 \\text{ or } t>2}", "", F),
    ("x>2", "\\boxed{x > 2 \\text{ or } x > 3}", "", T),
    ("2", "\\boxed{2\\operatorname{Tr}}", "", F),  # a function name is no unit
    ("\\mathbf{e}_1+\\mathbf{e}_2", "\\boxed{\\mathbf{e}_2+\\mathbf{e}_1}", "", T),  # bold letters with an index
    ("\\mathbf{e}_1+\\mathbf{e}_2", "\\boxed{\\mathbf{e}_1+5\\mathbf{e}_2}", "", F),
    ("\\sqrt{a^2+b^2}", "\\boxed{|a+bi|}", "", T),  # names beside i stay real unless alone in an equation
    ("(0,1)\\cup(1,\\infty)", "\\boxed{x>0 \\text{ and } x \\neq 1}", "", T),
    ("\\emptyset", "\\boxed{x>5 \\text{ and } x<1}", "", T),  # conditions that no number meets
    ("\\emptyset", "\\boxed{x>5 \\text{ and } x<7}", "", F),
    ("x \\in (-\\infty,1)\\cup(2,\\infty)", "\\boxed{x<1 \\text{ or } x>2}", "", T),
    ("t\\in(2,\\infty)", "\\boxed{x>2 \\text{ or } x>3}", "", F),
    # degrees inside a trigonometric function are an angle (session 23)
    ("\\sin 30", "\\boxed{\\sin 30^\\circ}", "", F),  # was a pass: the degree mark was dropped
    ("\\sin 60", "\\boxed{\\sin 60^{\\circ}}", "", F),
    ("\\frac12", "\\boxed{\\sin 30^\\circ}", "", T),
    ("\\frac{\\sqrt3}{2}", "\\boxed{\\cos(30^{\\circ})}", "", T),
    ("\\cos x", "\\boxed{\\sin(90^{\\circ}-x)}", "", T),
    ("60^\\circ", "\\boxed{\\arcsin \\frac12}", "", F),
    ("90", "\\boxed{90^\\circ}", "", T),  # no trigonometric function: the mark is dropped, as before
    # ... only a sine's (cosine's, ...) argument is an angle: a chain's last side keeps its degrees
    ("60", "\\boxed{\\theta = \\arccos\\frac{1}{2} = 60^\\circ}", "", T),
    ("30^\\circ, \\sin x", "\\boxed{30, \\sin x}", "", T),
    ("\\sin x", "\\boxed{\\sin x^\\circ}", "", F),  # a letter or a bracket in degrees too
    ("\\sin(a+b)", "\\boxed{\\sin(a+b)^\\circ}", "", F),
    ("\\sin 0.5^\\circ", "\\boxed{\\sin .5^\\circ}", "", T),
    ("\\frac12", "\\boxed{\\cos 60\\degree}", "", T),  # every spelling of the mark
    ("\\frac12", "\\boxed{\\cos 60^{\\text{o}}}", "", T),
    ("\\frac12", "\\boxed{\\sin{30^\\circ}}", "", T),
    ("\\frac12", "\\boxed{\\operatorname{sin} 30^\\circ}", "", T),  # an upright name is the function
    ("\\frac12", "\\boxed{\\cos 120^\\circ}", "", F),
    ("2\\sin 10^\\circ", "\\boxed{2\\cos 10^\\circ}", "", F),
    # degrees and minutes are one angle, not a sum
    ("45^\\circ", "\\boxed{30^\\circ 15'}", "", F),
    ("60", "\\boxed{30^\\circ 30'}", "", F),
    ("30.25^\\circ", "\\boxed{30^\\circ 15'}", "", T),
    ("10\\frac{41}{120}", "\\boxed{10^\\circ 20' 30''}", "", T),
    ("2", "\\boxed{17 \\bmod 5 = 2}", "", T),  # `\bmod` is `\mod`
    ("3", "\\boxed{17 \\bmod 5 = 2}", "", F),
    ("2", "\\boxed{17 \\bmod 5}", "", T),  # an unevaluated Mod: its size raised in the exactness guard
    ("3", "\\boxed{17 \\bmod 5}", "", F),
    # Python-style answers are never read by their last number (session 23)
    ("18", "\\boxed{gcd(12, 18)}", "", F),  # was a pass: the plain-expression parser read 18
    ("6", "\\boxed{gcd(12, 18)}", "", T),
    ("36", "\\boxed{lcm(12, 18)}", "", T),
    ("5", "\\boxed{max(2, 5)}", "", T),
    ("1", "\\boxed{Eq(x**2/16 + y**2/12, 1)}", "", F),
    ("Eq(x**2/4 + y**2/3, 1)", "\\boxed{Eq(x**2/16 + y**2/12, 1)}", "", F),  # NeMo-RL's pair: 1 = 1 before
    ("1", "\\boxed{x**y + 1}", "", F),
    ("\\frac{\\sqrt2}{2}", "\\boxed{sin(pi/4)}", "", T),
    ("\\frac12", "\\boxed{cos(\\pi/3)}", "", T),
    ("9", "\\boxed{3**2}", "", T),
    ("x^2+y^2=1", "\\boxed{x**2 + y**2 = 1}", "", T),  # Python's power is ^ (equations and calls were unread)
    ("x^2+y^2=1", "\\boxed{x**2 + y**2 = 2}", "", F),
    ("\\sin^2 x", "\\boxed{sin(x)**2}", "", T),
    ("e^x", "\\boxed{e**x}", "", T),
    ("1000", "\\boxed{2**10}", "", F),
    # R1-style answer tags (session 23)
    ("\\frac12", "<think>...</think><answer>\\frac{1}{2}</answer>", "", T),
    ("7", "So \\boxed{7}? No.\n<answer>54</answer>", "", F),  # the tag is the answer, not a box of the reasoning
    ("5", "<answer>4</answer> Wait. <answer>5</answer>", "", F),  # tags that answer differently hedge
    ("5", "I will put the final answer in <answer></answer> tags. \\boxed{5}", "", T),  # a tag named in prose
    ("5", "<answer>5</answer> I put my answer in <answer>...</answer> tags.", "", T),
    # ... a second red-team pass: a tag's content is read as a box's, and a later commitment hedges
    ("5", "<answer>3 or 5</answer>", "", F),
    ("5", "<answer>between 3 and 5</answer>", "", F),
    ("x=5", "<answer>x = 3 or x = 5</answer>", "", F),
    ("5", "<answer>5</answer> Wait, that's wrong... \\boxed{7}", "", F),
    ("5", "<answer>5</answer>\nThe answer is 7.", "", F),
    ("5", "<answer>5</answer> <answer>7", "", F),  # a new answer begun, then cut off
    ("5", "<answer>She has 5 dollars left.</answer>", "", T),
    ("5", "<answer>5</answer>" * 22, "", T),  # one value repeated is no hedge
    ("5", "<answer>5</answer> so \\boxed{5}", "", T),
    ("5", "Answer is 5? Let me double-check... so she has 7 apples left.", "", F),  # asked, then another value
    # markdown bold around a final answer
    ("42", "**The final answer is 42**", "", T),
    ("42", "**Final Answer: 42**", "", T),
    ("42", "Therefore, x = **42**.", "", T),
    ("3", "The answer is **3**, not **4**.", "", T),
    ("\\sin 30", "\\boxed{sin(30^\\circ)}", "", F),  # a plain call's angle in degrees too
    ("\\frac12", "\\boxed{sin(30^\\circ)}", "", T),
    ("4343.0", "\\boxed{4343_0}", "", F),  # a subscript that is no base was dropped (ZeroEval's suite)
    ("12", "\\boxed{12_1}", "", F),
    ("8686", "\\boxed{2 \\cdot 4343_0}", "", F),  # ... also inside an expression
    ("4343", "\\boxed{4343_{(0)}}", "", F),
    ("10", "\\boxed{2 \\cdot 101_2}", "", T),  # a numeral in base 2 inside an expression is its value
    ("202", "\\boxed{2 \\cdot 101_2}", "", F),
    ("1000", "\\boxed{1_000}", "", T),  # Python's digit groups
    ("1", "\\boxed{1_000}", "", F),
    ("5", "\\boxed{5_{10}}", "", T),
    # GSM8K-style endings with a currency sign
    ("20", "So he earns $20 per hour.", "", T),
    ("1500", "The total cost is $1,500.", "", T),
    ("18", "She makes 9 x 2 = $18.", "", T),
    # session 31: plain text neither parser reads whole was read by its last number (a false
    # pass); now it is read only when the plain-expression parser's match is the whole answer
    ("2", "\\boxed{7 // 2}", "", F),  # Python's floor division: 3
    ("3", "\\boxed{7 // 2}", "", T),
    ("5", "\\boxed{7 @ 5}", "", F),
    ("5", "\\boxed{7 => 5}", "", F),
    ("5", "\\boxed{7 || 5}", "", F),
    ("5", "\\boxed{7 )( 5}", "", F),
    ("5", "The final answer is 7 ?? 5.", "", F),
    ("2", "#### 9 # 2", "", F),
    ("2", "\\boxed{x @ 2}", "", F),
    ("2", "\\boxed{f(x) => 2}", "", F),
    ("2", "The answer is (7, 2", "", F),
    ("2", "The answer is [7, 2", "", F),
    ("3", "\\boxed{n = 3}", "", T),  # ... a name it is the value of, and a unit after it, stay
    ("1.69", "\\boxed{1.69 Å}", "", T),
    ("4.5e33", "\\boxed{4.5 \\times 10^{33} \\text{ erg/s}}", "", T),  # e-notation in the symbolic stage
    ("4.5e33", "\\boxed{3.85 \\times 10^{33} \\text{ erg/s}}", "", F),
    # ... and an integer past Python's 4300-digit limit, which latex2sympy cannot convert
    ("5", "\\boxed{5^{" + "7" * 4301 + "}}", "", F),
    ("5", "\\boxed{(" + "7" * 4301 + ", 5)}", "", F),
    ("5", "\\boxed{[" + "7" * 4301 + ", 5]}", "", F),
    ("5", "\\boxed{" + "7" * 4301 + ", 5}", "", F),
    ("5", "The answer is $(" + "7" * 4301 + ", 5)$.", "", F),
    # an option after "the correct answer is" (Minerva's MMLU-STEM outputs)
    ("D", "The correct answer is (D). I hope it is correct.", "", T),
    ("D", "So the correct answer is D.", "", T),
    ("C", "The correct answer is (D).", "", F),
    # a reference that is a worked solution ending as MetaMathQA's do (MR-GSM8K)
    ("x + 2x = 30, so 3x = 30 and x = 10; then the rest follows from it directly.\nThe value of x is 10.", "#### 10", "", T),
    ("x + 2x = 30, so 3x = 30 and x = 10; then the rest follows from it directly.\nThe value of x is 10.", "#### 30", "", F),
    ("The value of x is 20. Greg found 20 dollars.", "The answer is 20", "", T),
    ("The value of x is 20.", "The answer is 20", "", T),
    # a second red team, on those rules: e-notation only for a whole number (in `2e-1` e is Euler's)
    ("e^2+2e-1", "\\boxed{e^2 + 0.2}", "", F),
    ("\\frac{3e-1}{2}", "\\boxed{0.15}", "", F),
    ("x = 2e-1", "\\boxed{x = 0.2}", "", F),
    ("e^2+2e-1", "\\boxed{2e + e^2 - 1}", "", T),
    ("\\frac{2e-1}{e}", "\\boxed{2 - \\frac{1}{e}}", "", T),
    ("x + 1", "\\boxed{x + 1e99999999}", "", F),  # no 10^99999999 built
    # ... a stated number only when the line names no other ("x is 2. The minimum value is 7." is 7)
    ("The minimum occurs when x is 2. The minimum value is 7.", "\\boxed{2}", "", F),
    ("The minimum occurs when x is 2. The minimum value is 7.", "\\boxed{7}", "", T),
    ("The profit per item is 5. Multiplying by 20 gives 100.", "\\boxed{5}", "", F),
    ("Janet has 3 ducks.\nEach duck lays 4 eggs, so the number of eggs is 12.", "\\boxed{12}", "", T),
    # ... "the correct answer is" only where a sentence starts (never in a hypothesis or a belief)
    ("4", "If the correct answer is 8, then x must be 4. We find x = 3, so the total is 6.", "", F),
    ("A", "Many students believe the correct answer is (A). But friction stops it after 6 m, which is option (B).", "", F),
    ("6", "I first thought the correct answer is 5, but rechecking gives 6.", "", T),
    # ... a plain number with a name, a sign, a currency or a remark in words around it is read
    ("5", "\\boxed{n=5;}", "", T),
    ("3.14", "\\boxed{≈ 3.14}", "", T),
    ("0.0223", "\\boxed{r^*=0.0223}", "", T),
    ("12", "\\boxed{12 (i.e., a dozen)}", "", T),
    ("20", "\\boxed{20 W (3 sig. fig.)}", "", T),
    ("20", "\\boxed{Rs. 20}", "", T),
    # the cosecant as British and Indian textbooks write it (was a product of letters)
    ("\\csc x - \\cos x", "\\boxed{\\operatorname{cosec} x - \\cos x}", "", T),
    ("2", "\\boxed{\\operatorname{cosec}(\\pi/6)}", "", T),
    ("\\csc x", "The answer is cosec x.", "", T),
    ("\\sec x", "\\boxed{\\cosec x}", "", F),
    ("cosec(x)-cos(x)", "(1 + cos(x)**(2) * cosec(x)**(2) - cos(x)**(2))/(cos(x) + cosec(x))", "", T),  # isaacphysics
    ("cosec(x)-cos(x)", "(1 + cos(x)**(2) * cosec(x)**(3) - cos(x)**(2))/(cos(x) + cosec(x))", "", F),
    # the sixth import's finds: "percent" after a number is `%` (it was dropped: `28 percent` was 28)
    ("0.28", "The rate is 28 percent.", "", T),
    ("40/900", "\\boxed{4 4/9 pct}", "", T),
    ("0.29", "The rate is 28 percent.", "", F),
    # ... an open sequence keeps its ellipsis, in any spelling (`1, 2, 3, ...` was `1, 2, 3`)
    ("$1, 2, 3$", "$1, 2, 3, ...$", "", F),
    ("1,2,3,\\ldots", "\\boxed{1, 2, 3}", "", F),
    ("1, 2, 3, \\ldots", "\\boxed{1, 2, 3, \\dots}", "", T),
    ("1, 2, 3, \\ldots", "\\boxed{1, 2, 3, …}", "", T),
    ("6", "So the answer is 6...", "", T),
    ("1, 2, 3, \\ldots", "$1, 2, 3, ...$", "", T),  # in its delimiters (a first version kept the opening `$`)
    ("1, 2, 3, \\ldots", "\\(1, 2, 3, \\dots\\)", "", T),
    # ... a reference partly in `$...$` is read whole (`$\frac{1}{3}$ , 0` was 1/3)
    ("$\\frac{1}{3}$ , 0", "1/3,0", "", T),
    ("$\\frac{1}{3}$ , 0", "\\boxed{\\frac13}", "", F),
    ("$n$ is $12$", "\\boxed{12}", "", T),  # ... but never with words outside the spans (a third red team's find)
    ("$2$ - $3$", "\\boxed{-1}", "", F),
    # a closing remark that cannot change the value (TheoremQA's GPT-4 outputs): `1 (yes)` was 1·y·e·s
    ("1", "Therefore, the answer is 1 (yes).", "", T),
    ("1.32", "Therefore, the answer is 1.32 MiB (in 3 sig. fig.)", "", T),
    ("3", "Therefore, the answer is 1.32 MiB (in 3 sig. fig.)", "", F),
    ("3.14", "The answer is 3.14 (rounded to the nearest tenth).", "", T),
    ("5", "The answer is 5 (or 6).", "", F),  # ... never an alternative, a condition or a correction
    ("6", "The answer is 5 (or 6).", "", F),
    ("5", "The answer is 5 (6 if n is odd).", "", F),
    ("5", "The answer is 5 (wait, actually six).", "", F),
    ("2", "The answer is 2 (in thousands).", "", F),
    # a fourth red team (2026-12-06): a value offered beside a box after "or", or in a remark that says
    # another value also works, is a hedge as a second box is
    ("5", "\\boxed{5} or 6", "", F),
    ("5", "\\boxed{5} (or 6)", "", F),
    ("5", "The answer is either \\boxed{5} or 6.", "", F),
    ("5", "$x = \\boxed{5}$ or $x = 6$", "", F),
    ("5", "Thus $n = \\boxed{5}$ (the other root, $n = 6$, also works).", "", F),
    ("5", "<answer>5</answer> or 6", "", F),
    ("B", "\\boxed{B} (or C)", "ABCD", F),
    ("5", "\\boxed{5} or more", "", F),
    ("5", "\\boxed{5}, or equivalently $\\frac{10}{2}$.", "", T),  # ... the same value is no hedge
    ("5", "\\boxed{5} (rounded from 4.97)", "", T),
    ("5", "Thus $n = \\boxed{5}$. Or is it? Let me check: yes it is.", "", T),  # ... nor a next sentence
    # ... an equation with no free symbol (a function's value) is solved for that value: any two were equal
    ("f(2) = 3", "\\boxed{f(2) = 100}", "", F),
    ("f(2) = 3", "\\boxed{g(2) = 3}", "", F),
    ("f(2) = 3", "\\boxed{f(3) = 2}", "", F),
    ("f'(2) = 3", "\\boxed{f'(2) = 4}", "", F),
    ("f(2) = 3", "\\boxed{f(2) = 3.0}", "", T),
    ("f(2) = 3", "\\boxed{3}", "", T),
    # ... a letter after a number is that letter (Math-Verify's normalisation dropped one- and
    # two-letter "units" at the end: `a^2+2bc` was `a^2+2`, `2\pi r h` was 2πr)
    ("a^2+2bc", "\\boxed{a^2+2}", "", F),
    ("2\\pi r h", "\\boxed{2\\pi r}", "", F),
    ("v_0 t", "\\boxed{v_0}", "", F),
    ("|x|+3t", "\\boxed{|x|+3}", "", F),
    ("v(t)=3t", "\\boxed{v(t)=3}", "", F),
    ("\\sqrt{2}d", "\\boxed{\\sqrt{2}}", "", F),
    ("|x|+3t", "\\boxed{3t+|x|}", "", T),
    ("5", "\\boxed{5 \\text{ feet}}", "", T),  # ... words are still units
    # ... two values in different units differ; the same unit in two spellings does not
    ("5\\text{ m}", "\\boxed{5\\text{ cm}}", "", F),
    ("5 km", "\\boxed{5 m}", "", F),
    ("2 hours", "The answer is 2 minutes.", "", F),
    ("5 m", "\\boxed{5 meters}", "", T),
    ("2 hours", "The answer is 2 hrs.", "", T),
    ("5\\text{ m}", "\\boxed{5}", "", T),
    # ... and a magnitude word scales its number (`5 hundred` was 5)
    ("5", "\\boxed{5 \\text{ hundred}}", "", F),
    ("500", "\\boxed{5 \\text{ hundred}}", "", T),
    ("60", "\\boxed{5 \\text{ dozen}}", "", T),
    # ... plain text too long for sympy's recursion limit is not read by a later, shorter match (its first number)
    ("5", "\\boxed{5" + "-1" * 999 + "}", "", F),
    ("1", "\\boxed{" + "+".join(map(str, range(1, 1001))) + "}", "", F),
    # ... a thought is no answer: after the last closing tag only, and nothing of one never closed
    ("5", "<think>so it is \\boxed{5}", "", F),
    ("5", "<thinking>\\boxed{5}</thinking>", "", F),
    ("5", "<|begin_of_thought|>\\boxed{5}<|end_of_thought|>", "", F),
    ("5", "<|begin_of_thought|>maybe \\boxed{4}<|end_of_thought|><|begin_of_solution|>So \\boxed{5}.<|end_of_solution|>", "", T),
    ("5", "The answer is \\boxed{5}.<｜end▁of▁sentence｜>User: and now? \\boxed{6}", "", T),
    # ... named values against a tuple keep their order (Math-Verify compared them as sets of values)
    ("x=2,y=3", "\\boxed{(3,2)}", "", F),
    ("x = 2, y = 3", "\\boxed{(x, y) = (3, 2)}", "", F),
    ("a = 1, b = -1", "\\boxed{(-1, 1)}", "", F),
    ("x=2,y=3,z=4", "\\boxed{(4,3,2)}", "", F),
    ("x=2,y=3", "\\boxed{(2,3)}", "", T),
    ("x = 2, y = 3", "\\boxed{(x, y) = (2, 3)}", "", T),
    ("a = 1, b = -1", "\\boxed{(1, -1)}", "", T),
    ("(2,3)", "\\boxed{x=2, y=3}", "", T),
    # ... a remark in a box that offers another value, or takes the answer back, is no restatement
    ("5", "\\boxed{5 \\text{ (also 6)}}", "", F),
    ("5", "\\boxed{5 \\text{ (maybe 6)}}", "", F),
    ("5", "\\boxed{5 \\text{ (6?)}}", "", F),
    ("5", "\\boxed{5 \\text{ [6]}}", "", F),
    ("5", "\\boxed{5 \\text{ (6 if n odd)}}", "", F),
    ("5", "\\boxed{5 \\text{; 6 also works}}", "", F),
    ("5", "\\boxed{5 \\text{ (even n), } 6 \\text{ (odd n)}}", "", F),
    ("x=5", "\\boxed{x=5 \\text{ (rejected)}}", "", F),
    ("5", "\\boxed{5 \\text{ (wrong)}}", "", F),
    ("5", "\\boxed{5 \\text{ (exact)}}", "", T),
    # ... every choice glued in a font command is no unit; a denied or a second affirmed letter is no answer
    ("A", "\\boxed{A\\text{BCD}}", "ABCD", F),
    ("B", "\\boxed{B\\text{C}}", "ABCD", F),
    ("B", "Option (B) is incorrect.", "ABCD", F),
    ("B", "\\boxed{\\text{B is wrong}}", "ABCD", F),
    ("B", "The correct answer is B. C is also correct.", "ABCD", F),
    ("B", "The correct answer is B. Option (A) is incorrect.", "ABCD", T),
    # ... the gcd of a power is the gcd of its value (latex2sympy took powers as polynomials: 1)
    ("1", "\\boxed{\\gcd(10^{20},5)}", "", F),
    ("5", "\\boxed{\\gcd(10^{20},5)}", "", T),
    ("4", "\\boxed{\\gcd(2^{64},4)}", "", T),
    # a review of those rules: what a box's sentence offers is no hedge when it denies it, approximates
    # or restates the value; increasing pairs named by a tuple keep their order; units in more spellings
    ("4", "So $x = \\boxed{4}$ (the other root, $x = -4$, is extraneous).", "", T),
    ("\\frac13", "\\boxed{\\frac{1}{3}} (or about 0.333)", "", T),
    ("5", "\\boxed{5} or five", "", T),
    ("5", "\\boxed{5} or six", "", F),
    ("B", "The answer is (B). Option (A) is also incorrect.", "ABCD", T),
    ("x=3, y=2", "\\boxed{(x, y) = (2, 3)}", "", F),
    ("5 \\mathrm{~m}", "\\boxed{5 \\mathrm{~cm}}", "", F),
    ("5 m/s", "\\boxed{5 km/s}", "", F),
    ("5 m/s", "\\boxed{5 m/s}", "", T),
    ("1,5 m", "\\boxed{1.5 m}", "", T),
    ("1/2 h", "\\boxed{0.5 h}", "", T),
    ("f(1) = 2, f(2) = 5", "\\boxed{f(1) = 5, f(2) = 2}", "", F),  # ... a list of a function's values too
    ("f(1) = 2, f(2) = 5", "\\boxed{f(2) = 5, f(1) = 2}", "", T),
    # a hedge whose values are one value written several ways hedges nothing (a false fail until
    # 2026-12-06: only plain numbers and equal texts were seen as one value); any other value fails
    ("120", "So there are \\boxed{120}, or $5!$ ways.", "", T),
    ("120", "So there are \\boxed{120}, or $6!$ ways.", "", F),
    ("120", "\\boxed{5!} or \\boxed{120}", "", T),
    ("2\\sqrt{2}", "\\boxed{2\\sqrt{2}} or $\\sqrt{8}$", "", T),
    ("2\\sqrt{2}", "\\boxed{2\\sqrt{2}} or $\\sqrt{9}$", "", F),
    ("x^2", "\\boxed{x^2} or \\boxed{x\\cdot x}", "", T),
    ("x^2", "\\boxed{x^2} or \\boxed{2x}", "", F),
    ("x^2", "\\boxed{2x} or \\boxed{x^2}", "", F),
    ("6", "\\boxed{3!} \\boxed{6} \\boxed{2 \\cdot 3} \\boxed{12/2} \\boxed{\\binom{4}{2}}", "", F),  # five values at once: a hedge
    # ... and the values must be one value among themselves, not each match the reference by a
    # leniency (a red team of the first version: percentages 100x apart, both halves of the day,
    # a numeral in a base beside the decimal one, each matched the reference)
    ("0.5", "\\boxed{50\\%} or \\boxed{0.5\\%}", "", F),
    ("0.05", "The answer is \\boxed{5\\%}, or equivalently \\boxed{0.05\\%}.", "", F),
    ("5", "\\boxed{5\\%} or \\boxed{500\\%}", "", F),
    ("1", "\\boxed{1} or \\boxed{100\\%} or \\boxed{1\\%}", "", F),
    ("0.5", "<answer>50\\%</answer> Actually <answer>0.5\\%</answer>", "", F),
    ("1:20", "\\boxed{1:20 \\text{ a.m.}} or \\boxed{1:20 \\text{ p.m.}}", "", F),
    ("3:00", "\\boxed{3:00 am} or \\boxed{3:00 pm}", "", F),
    ("11", "\\boxed{11} or \\boxed{11_2}", "", F),
    ("1011_2", "\\boxed{1011_2} or \\boxed{1011}", "", F),
    ("3", "\\boxed{3} or \\boxed{2^{2^{2^{40}}}}", "", F),  # a fail, not a timeout
]


@pytest.mark.parametrize(("reference", "completion", "choices", "passes"), CASES)
def test_red_team_case(math_verifier, reference: str, completion: str, choices: str, passes: bool) -> None:
    problem = MathProblem(problem_id="p", prompt="", answer=reference, **({"metadata": {"choices": choices}} if choices else {}))
    verdict = math_verifier.verify(problem, completion)
    assert verdict.passed is passes, (verdict.status, verdict.reason, verdict.extracted)
