"""A labeled table of (reference, answer, equivalent?) written for Assay.

Every answer is judged as the content of `\\boxed{}` in a short solution text. Labels
are mathematical truth under Assay's documented policy: exact values compare exactly;
a decimal matches within 1e-6 of the larger value (relative below 1, absolute above); a percentage also matches its value / 100;
units and `\\text{}` words after a number are ignored; ordered tuples and intervals keep
their order, sets do not.
"""

T, F = True, False

INTEGERS = [
    ("42", "42", T), ("42", "042", T), ("1000", "1,000", T), ("1000", "1{,}000", T), ("1000000", "1,000,000", T),
    ("42", "43", F), ("-5", "-5", T), ("-5", "5", F), ("0", "-0", T), ("12", "12.0", T), ("7", "7.5", F),
    ("100", "1e2", T), ("3", "3.00", T), ("2", "\\frac{4}{2}", T), ("10", "10\\text{ cm}", T), ("5", "5 apples", T),
    ("1000", "1.000", F), ("123", "321", F), ("17", "+17", T), ("250", "250.", T), ("9", "3^2", T), ("64", "2^6", T),
    ("64", "2^7", F), ("1", "1^{100}", T), ("0", "0.0", T), ("99", "100", F), ("2024", "2{,}024", T),
    ("-12", "-(12)", T), ("6", "3!", T), ("120", "5!", T), ("24", "5!", F), ("10", "\\binom{5}{2}", T),
    ("11", "\\binom{5}{2}", F), ("1000000007", "1000000007", T), ("1000000007", "1000000009", F),
]
FRACTIONS = [
    ("\\frac{1}{2}", "0.5", T), ("\\frac{1}{2}", "1/2", T), ("\\frac{1}{2}", "\\dfrac{1}{2}", T), ("\\frac{1}{2}", "\\frac{2}{4}", T),
    ("\\frac{1}{3}", "0.333", F), ("\\frac{1}{3}", "0.3333333333", T), ("\\frac{2}{3}", "\\frac{4}{6}", T),
    ("\\frac{3}{4}", "\\frac{4}{3}", F), ("-\\frac{1}{2}", "\\frac{-1}{2}", T), ("\\frac{1}{2}", "-\\frac{1}{2}", F),
    ("\\frac{7}{2}", "3.5", T), ("\\frac{7}{2}", "\\tfrac{7}{2}", T), ("\\frac{22}{7}", "3.14", F), ("0.75", "\\frac{3}{4}", T),
    ("\\frac{5}{8}", "0.625", T), ("\\frac{1}{8}", "0.12", F), ("\\frac{9}{3}", "3", T), ("\\frac{10}{4}", "\\frac{5}{2}", T),
    ("\\frac{1}{7}", "\\frac{2}{14}", T), ("\\frac{1}{7}", "\\frac{1}{6}", F), ("\\frac{a}{b}", "a/b", T),
    ("\\frac{3}{5}", "60\\%", T), ("\\frac{1}{100}", "0.01", T), ("\\frac{1}{1000}", "0.001", T), ("\\frac{1}{1000}", "0.01", F),
    ("\\frac{x+1}{2}", "\\frac{1+x}{2}", T), ("\\frac{x}{2}", "0.5x", T), ("\\frac{x}{3}", "\\frac{x}{4}", F),
    ("\\frac{1}{\\frac{1}{2}}", "2", T), ("\\frac{2}{\\sqrt{2}}", "\\sqrt{2}", T),
]
DECIMALS = [
    ("0.5", "0.50", T), ("3.14", "3.14", T), ("3.14", "3.141", F), ("2.5", "2.50000", T), ("0.1", ".1", T),
    ("1.25", "\\frac{5}{4}", T), ("2.718", "2.71", F), ("0.001", "1e-3", T), ("100.5", "100.50", T), ("-0.5", "-.5", T),
    ("1", "1.0000001", T), ("1", "1.001", F), ("12.5", "12.5 \\text{ m}", T), ("0.3", "0.30", T), ("0.3", "0.03", F),
    ("1234.5", "1,234.5", T), ("7.0", "7", T), ("6.25", "6\\frac{1}{4}", T), ("0.125", "\\frac{1}{8}", T), ("9.99", "10", F),
]
PERCENT = [
    ("25\\%", "25", T), ("25\\%", "0.25", T), ("25\\%", "25\\%", T), ("25", "25\\%", T), ("50\\%", "\\frac{1}{2}", T),
    ("12.5\\%", "12.5", T), ("12.5\\%", "0.125", T), ("40\\%", "45\\%", F), ("40\\%", "0.45", F), ("100\\%", "1", T),
    ("5\\%", "5%", T), ("33\\%", "0.33", T), ("75\\%", "75 \\%", T), ("20\\%", "2", F), ("0.2", "20\\%", T),
]
SCIENTIFIC = [
    ("1500", "1.5 \\times 10^{3}", T), ("1500", "1.5e3", T), ("1.5\\times10^3", "1500", T), ("3\\times 10^{8}", "300000000", T),
    ("3\\times 10^{8}", "3\\times 10^{9}", F), ("6.02\\times10^{23}", "6.02e23", T), ("1e-5", "0.00001", T), ("1e-5", "0.0001", F),
    ("2.5 \\times 10^{-3}", "0.0025", T), ("4\\cdot 10^{2}", "400", T), ("10^{6}", "1000000", T), ("10^{-3}", "0.001", T),
    ("10^{6}", "10^{7}", F), ("5\\times10^{-2}", "\\frac{1}{20}", T), ("7.2e4", "72000", T),
]
RADICALS = [
    ("\\sqrt{2}", "\\frac{2}{\\sqrt{2}}", T), ("2\\sqrt{2}", "\\sqrt{8}", T), ("\\sqrt{12}", "2\\sqrt{3}", T),
    ("\\sqrt{2}", "1.41421356", T), ("\\sqrt{2}", "1.414", F), ("\\frac{\\sqrt{3}}{2}", "\\frac{1}{2}\\sqrt{3}", T),
    ("\\frac{\\sqrt{3}}{2}", "\\frac{\\sqrt{2}}{2}", F), ("\\sqrt{18}", "3\\sqrt{2}", T), ("\\sqrt[3]{8}", "2", T),
    ("\\sqrt[3]{27}", "3", T), ("\\sqrt{16}", "4", T), ("\\sqrt{16}", "-4", F), ("\\frac{1}{\\sqrt{2}}", "\\frac{\\sqrt{2}}{2}", T),
    ("3+2\\sqrt{2}", "(1+\\sqrt{2})^2", T), ("\\sqrt{5}-1", "-1+\\sqrt{5}", T), ("\\sqrt{5}+1", "\\sqrt{5}-1", F),
    ("\\sqrt{50}", "5\\sqrt{2}", T), ("4\\sqrt{3}", "\\sqrt{48}", T), ("\\sqrt{3}", "3^{1/2}", T), ("\\sqrt{3}", "3^{1/3}", F),
    ("2^{\\frac{1}{2}}", "\\sqrt{2}", T), ("\\sqrt{2}+\\sqrt{3}", "\\sqrt{3}+\\sqrt{2}", T), ("\\sqrt{x^2}", "\\sqrt{x^2}", T),
    ("\\frac{\\sqrt{6}}{3}", "\\sqrt{\\frac{2}{3}}", T), ("\\sqrt{6}", "\\sqrt{2}\\sqrt{3}", T),
]
PI_E = [
    ("\\pi", "3.14159265", T), ("\\pi", "3.14", F), ("2\\pi", "2\\pi", T), ("2\\pi", "\\pi \\cdot 2", T), ("\\frac{\\pi}{2}", "\\frac{1}{2}\\pi", T),
    ("\\frac{\\pi}{2}", "\\frac{\\pi}{3}", F), ("4\\pi", "12.566370614", T), ("e", "2.718281828", T), ("e^2", "e \\cdot e", T),
    ("e^{2}", "e^{3}", F), ("\\pi r^2", "r^2\\pi", T), ("2\\pi r", "\\pi r", F), ("\\frac{4}{3}\\pi", "\\frac{4\\pi}{3}", T),
    ("\\pi^2", "\\pi \\cdot \\pi", T), ("\\ln 2", "\\ln(2)", T), ("\\ln 2", "\\ln 3", F), ("\\pi + 1", "1+\\pi", T),
    ("100\\pi", "314.159265359", T), ("\\frac{\\pi}{4}", "0.785398163", T), ("\\frac{\\pi}{4}", "0.79", F),
]
SYMBOLIC = [
    ("x^2+2x+1", "(x+1)^2", T), ("2x", "x+x", T), ("x^2-1", "(x-1)(x+1)", T), ("x^2", "2x", F), ("a+b", "b+a", T),
    ("3x+2", "2+3x", T), ("3x+2", "3x-2", F), ("\\frac{x^2-4}{x-2}", "x+2", T), ("(a+b)^2", "a^2+2ab+b^2", T),
    ("(a+b)^2", "a^2+b^2", F), ("x^3", "x\\cdot x\\cdot x", T), ("2(x+3)", "2x+6", T), ("\\frac{1}{x}+\\frac{1}{y}", "\\frac{x+y}{xy}", T),
    ("x y", "yx", T), ("x-y", "y-x", F), ("6x^2", "3x\\cdot 2x", T), ("x^2+x", "x(x+1)", T), ("\\frac{2}{x}", "2x^{-1}", T),
    ("e^{x}", "\\exp(x)", T), ("\\sin(2x)", "2\\sin x\\cos x", T), ("\\cos^2 x", "1-\\sin^2 x", T), ("\\sin x", "\\cos x", F),
    ("\\log_2 8", "3", T), ("n(n+1)/2", "\\frac{n^2+n}{2}", T), ("n^2", "n^3", F), ("\\frac{1}{2}x^2+C", "\\frac{x^2}{2}+C", T),
    ("3x^2", "3x^{2}", T), ("-x", "-1\\cdot x", T), ("|x|", "|-x|", T), ("x^4-1", "(x^2+1)(x-1)(x+1)", T),
    # indexed E and I, a symbol command as an index (Minerva's `E_{1}`, `L_{\odot}`: neither parsed, 2026-12-06)
    ("\\frac{1}{3}E_{1}+\\frac{2}{3}E_{2}", "\\frac{1}{3}E_1 + \\frac{2}{3}E_2", T), ("E_1+E_2", "E_1+E_3", F), ("I_1+I_2", "2i", F),
    ("L_{\\odot}", "L_\\odot", T), ("L_{\\odot}", "L", F),
]
EQUATIONS = [
    ("x=3", "3", T), ("3", "x=3", T), ("y=2x+1", "y=1+2x", T), ("x=3", "x=4", F), ("y=2x+1", "y=2x-1", F),
    ("x=\\frac{1}{2}", "0.5", T), ("a=5", "a = 5", T), ("x=-2", "-2", T), ("x=-2", "2", F), ("2x+3y=6", "3y+2x=6", T),
    ("y=x^2", "y = x^{2}", T), ("x = 10", "10", T), ("k=7", "7", T), ("k=7", "8", F), ("x=2", "x=2.0", T),
]
INTERVALS = [
    ("[1,3)", "[1,3)", T), ("[1,3)", "[1,3]", F), ("(3,\\infty)", "(3, \\infty)", T), ("(1,2)", "(1,2]", F),
    ("[0,1]\\cup[2,3]", "[2,3]\\cup[0,1]", T), ("(-\\infty,2]", "(-\\infty, 2]", T), ("(-\\infty,2]", "(-\\infty,2)", F),
    ("[-1,1]", "[-1, 1]", T), ("[0,\\infty)", "[0,\\infty)", T), ("(0,\\infty)", "[0,\\infty)", F), ("(2,5)", "(2,6)", F),
    ("x>3", "x>3", T), ("x \\geq 2", "x\\ge 2", T), ("x<1", "x>1", F), ("[\\frac{1}{2}, 1]", "[0.5, 1]", T),
]
SETS_TUPLES = [
    ("\\{1,2\\}", "\\{2,1\\}", T), ("(1,2)", "(2,1)", F), ("(1,2)", "(1,2)", T), ("\\{1,2,3\\}", "\\{3,2,1\\}", T),
    ("\\{1,2,3\\}", "\\{1,2\\}", F), ("(3,4)", "(3, 4)", T), ("(3,4)", "(4,3)", F), ("(1,2,3)", "(1,2,3)", T),
    ("\\{-1, 1\\}", "\\{1, -1\\}", T), ("\\{0\\}", "\\{0\\}", T), ("\\{0\\}", "\\{1\\}", F), ("(\\frac{1}{2}, 3)", "(0.5, 3)", T),
    ("\\{2, 3\\}", "\\{2, 3, 3\\}", T), ("(2,-1)", "(2, -1)", T), ("(2,-1)", "(-1, 2)", F), ("\\{a, b\\}", "\\{b, a\\}", T),
    ("(0,0)", "(0, 0)", T), ("(1, \\sqrt{2})", "(1, \\sqrt{2})", T), ("(1, \\sqrt{2})", "(1, \\sqrt{3})", F), ("\\{\\pi\\}", "\\{\\pi\\}", T),
]
MATRICES = [
    ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", T),
    ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}", F),
    ("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}1\\\\2\\end{pmatrix}", T),
    ("\\begin{pmatrix}1\\\\2\\end{pmatrix}", "\\begin{pmatrix}2\\\\1\\end{pmatrix}", F),
    ("\\begin{pmatrix}\\frac{1}{2}&0\\\\0&1\\end{pmatrix}", "\\begin{pmatrix}0.5&0\\\\0&1\\end{pmatrix}", T),
    ("\\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}", "\\begin{pmatrix}1&0\\\\0&1\\end{pmatrix}", T),
    ("\\begin{pmatrix}2&0\\\\0&2\\end{pmatrix}", "\\begin{pmatrix}2&0\\\\0&3\\end{pmatrix}", F),
    ("\\begin{pmatrix}-1\\\\3\\end{pmatrix}", "\\begin{pmatrix}-1 \\\\ 3\\end{pmatrix}", T),
    ("\\begin{pmatrix}x&1\\\\1&x\\end{pmatrix}", "\\begin{pmatrix}x&1\\\\1&x\\end{pmatrix}", T),
    ("\\begin{pmatrix}1&2\\end{pmatrix}", "\\begin{pmatrix}2&1\\end{pmatrix}", F),
]
COMPLEX = [
    ("3+4i", "4i+3", T), ("1+i", "1-i", F), ("2i", "2", F), ("i", "i", T), ("-i", "-i", T), ("1+2i", "1 + 2i", T),
    ("\\frac{1}{2}+\\frac{\\sqrt{3}}{2}i", "\\frac{1+i\\sqrt{3}}{2}", T), ("2-3i", "2+3i", F), ("5i", "5 i", T), ("3+0i", "3", T),
    ("i^2", "-1", T), ("(1+i)^2", "2i", T), ("2+2i", "2(1+i)", T), ("4i", "-4i", F), ("1-i", "-i+1", T),
]
PLUS_MINUS = [
    ("\\pm 2", "\\pm2", T), ("\\pm 2", "2", F), ("2", "\\pm 2", F), ("\\pm\\sqrt{3}", "\\pm \\sqrt{3}", T), ("-2", "\\pm 2", F),
    ("\\pm 3", "\\pm 4", F), ("1\\pm\\sqrt{2}", "1 \\pm \\sqrt{2}", T), ("2021", "\\pm 2021", F), ("\\pm 2021", "2021", F),
    ("x=\\pm 5", "\\pm 5", T),
]
DEGREES_UNITS_TEXT = [
    ("30^\\circ", "30", T), ("30", "30^{\\circ}", T), ("45^\\circ", "45°", T), ("90^\\circ", "60^\\circ", F), ("30", "30 \\text{ degrees}", T),
    ("5\\text{ cm}", "5", T), ("12", "12 \\text{ dollars}", T), ("7", "7 \\mathrm{m}", T), ("7", "8 \\mathrm{m}", F), ("15", "15\\text{ minutes}", T),
    ("\\text{east}", "east", T), ("\\text{Tuesday}", "\\text{Tuesday}", T), ("\\text{Tuesday}", "\\text{Monday}", F),
    ("\\text{even}", "\\text{odd}", F), ("3", "3 \\text{ hours}", T),
    # a word against the same word in a text command; an ordinal's suffix (MATH-500 outputs of gemma, 2026-12-06)
    ("ellipse", "\\text{ellipse}", T), ("Navin", "\\text{Navin}", T), ("ellipse", "\\text{circle}", F),
    # an upright capital is a symbol, but a unit after a number (GAOKAO-Bench references, 2026-12-06)
    ("\\frac{\\mathrm{N}_{1}}{\\mathrm{~N}}", "\\frac{N_1}{N}", T), ("\\frac{\\mathrm{N}_{1}}{\\mathrm{~N}}", "\\frac{N_1}{M}", F),
    ("\\frac{\\mathrm{N}_{1}}{\\mathrm{~N}}", "\\frac{N_1}{2N}", F), ("5", "5 \\mathrm{~N}", T),
    ("\\frac{1}{2}", "\\frac{1}{2}\\mathrm{~J}", T), ("1500", "1.5\\times10^{3}\\mathrm{~N}", T),
    ("12", "12^{\\mathrm{th}} \\text{ grade}", T), ("12", "13^{th}", F),
    ("35.06", "35.06 g/mol", T), ("3", "3 m/s", T), ("9.8", "9.8 \\text{ m/s}^2", T), ("3", "3 s/2", F), ("3", "4 m/s", F),
    # the red team's false passes against the first version of those rules (2026-12-06)
    ("2", "2^s t", F), ("2", "2^{n d}", F), ("x_2", "x_2^{nd}", F), ("5", "5 m/n", F), ("2", "2 V/R", F), ("3", "3 m/s/2", F),
    ("1", "x_{\\star + 1}", F), ("\\frac{i}{2}", "\\frac{I_1}{2}", F), ("-1", "{I_1}^2", F), ("0.5E_1", "\\frac{E_1}{2}", T),
]
EMPTY = [
    ("\\emptyset", "\\varnothing", T), ("\\text{no solution}", "\\emptyset", T), ("\\emptyset", "0", F), ("\\text{no solution}", "\\text{none}", T),
    ("\\emptyset", "\\{\\}", T), ("0", "\\emptyset", F), ("\\text{no solution}", "1", F), ("\\varnothing", "\\emptyset", T),
    ("\\text{No solution}", "\\text{no solutions}", T), ("\\emptyset", "\\{0\\}", F),
]
KNOWN_FALSE_POSITIVES = [
    ("\\frac{1}{2004!}", "\\frac{1}{2006!}", F), ("\\frac{1}{2006!}", "\\frac{1}{2004!}", F), ("10^{-20}", "10^{-21}", F),
    ("10^{-21}", "10^{-20}", F), ("2^{-100}", "2^{-101}", F), ("\\frac{1}{10^{30}}", "\\frac{2}{10^{30}}", F),
    ("100!", "99!", F), ("\\frac{1}{2004!}", "\\frac{1}{2004!}", T), ("10^{-20}", "10^{-20}", T), ("e^{-50}", "e^{-51}", F),
]

MORE_WRONG = [
    ("17", "71", F), ("2.5", "25", F), ("\\frac{2}{5}", "\\frac{5}{2}", F), ("\\sqrt{3}", "\\sqrt{2}", F), ("x^2+1", "x^2-1", F),
    ("(1,3]", "[1,3]", F), ("\\{1,2\\}", "\\{1,3\\}", F), ("2\\pi", "\\pi", F), ("e", "\\pi", F), ("10\\%", "0.01", F),
    ("x=5", "x=-5", F), ("3+i", "3", F), ("1000", "100", F), ("0.5", "0.05", F), ("\\frac{\\pi}{6}", "30", F),
    ("1e-3", "1e-4", F), ("4", "\\sqrt{4}+1", F), ("(2,3)", "(2,4)", F), ("-1", "1", F), ("\\infty", "-\\infty", F),
]

TABLE = (
    INTEGERS + FRACTIONS + DECIMALS + PERCENT + SCIENTIFIC + RADICALS + PI_E + SYMBOLIC + EQUATIONS + INTERVALS
    + SETS_TUPLES + MATRICES + COMPLEX + PLUS_MINUS + DEGREES_UNITS_TEXT + EMPTY + KNOWN_FALSE_POSITIVES + MORE_WRONG
)

# Whole solution texts: extraction, hedging and multiple choice. (reference, text, equivalent?, choices)
SOLUTIONS = [
    ("3", "We add them. The final answer is $3$.", T, ""),
    ("3", "So x = 3.\n\nAnswer: 3", T, ""),
    ("3", "Therefore the answer is \\boxed{3}.", T, ""),
    ("3", "\\boxed{2} is wrong, so it must be \\boxed{3}", F, ""),
    ("3", "It is either \\boxed{3} or \\boxed{4}.", F, ""),
    ("3", "The answer is 3 or 4.", F, ""),
    ("3, 4", "The roots are \\boxed{3, 4}", T, ""),
    ("B", "The correct option is (B).", T, "ABCD"),
    ("B", "The answer is \\boxed{C}", F, "ABCD"),
    ("B", "Answer: B", T, "ABCD"),
    ("B", "\\boxed{\\text{(B)}}", T, "ABCD"),
    ("12", "First 3*4 = 12 apples.", T, ""),
    ("12", "I don't know.", F, ""),
    ("\\frac{1}{2}", "$$\\boxed{\\dfrac{1}{2}}$$", T, ""),
    ("\\frac{1}{2}", "so p = \\boxed{\\frac{1}{2}}\\text{.}", T, ""),
    # a bold value that ends the text (gemma-2-27b-it on Minerva and OlympiadBench, 2026-12-06)
    ("0.033", "z = (6784 - 6565) / 6565 = 0.033\n\n**4. Find v/c**\n\nSince z = v/c:\n\nv/c = z = **0.033**", T, ""),
    ("108", "Volume = (1/3) * 36√3 * 3√3 = 36 * 3 = **108**", T, ""),
    ("5", "the smallest positive integer is  *n* = **5**.", T, ""),
    ("35.06", "14.01 g/mol + 5.05 g/mol + 16.00 g/mol = **35.06 g/mol**", T, ""),
    ("5", "Is it 5? Maybe **5?**", F, ""), ("4", "Next:\n\n**Step 4**", F, ""), ("5", "so it cannot be **5**", F, ""),
    ("3", "It is **3** or **4**", F, ""), ("(-1,6)", "So:\n\nThe midpoint is **(-1, 6)**.", T, ""),
    # the red team's false passes against the first version of the bold rule (2026-12-06)
    *[("5", "We rearrange terms.\n\n" + end, F, "") for end in (
        "x = 6 or **5**", "1, 2, 3, 4, **5**", "the solution set is x ≥ **5**", "x = 1.**5**", "x = 2^**5**", "### Step **5**",
        "Suppose x = **5**", "Wrong answer: **5**", "n is between 3 and **5**", "We try x = **5**")],
    # a hedge in the final sentence, with no box or statement (false passes until 2026-12-06)
    ("3", "The distance is 2 or 3.", F, ""), ("3", "So the value is either 2 or 3.", F, ""),
    ("2\\sqrt{3}", "So $x=2$ or $2\\sqrt{3}$.", F, ""), ("3", "Hence $a = 2$ or $a = 3$.", F, ""),
    ("3", "The answer could be $2$ or $3$", F, ""), ("x=2 \\text{ or } x=3", "Hence $x = 2$ or $x = 3$.", T, ""),
    ("3", "The color is 3.", T, ""),
    # Chinese solutions (GAOKAO-Bench's gpt-3.5-turbo answers, 2026-12-06): the answer cue 【答案】 or
    # 答案, the connectives 为/是, 或 as "or", units after a number, words compared as text
    ("-3", "解得 $a=-3$。\n【答案】$a=-3$。<eoa>", T, ""), ("3x-y=0", "【答案】切线方程为 $y=3x$。", T, ""),
    ("5", "故答案为：$5$。", T, ""), ("\\frac{1}{2}", "所以答案是 $\\frac{1}{2}$。", T, ""), ("3", "【答案】3 个", T, ""),
    ("分层抽样", "【答案】分层抽样。", T, ""), ("分层抽样", "【答案】系统抽样。", F, ""),
    ("1 和 3", "【答案】$3$<eoa>", F, ""), ("1 和 3", "【答案】甲的卡片上的数字可能是 1 或 3。", F, ""),
    ("2 \\sqrt{3}", "【答案】$\\left|z_{1}-z_{2}\\right|=2$ 或 $2 \\sqrt{3}$。<eoa>", F, ""),
    ("2 \\sqrt{3}", "综上所述，$\\left|z_{1}-z_{2}\\right|=2$ 或 $2 \\sqrt{3}$。", F, ""),
    ("3", "答案不是 3", F, ""), ("5", "所以 $x=5$ 不符合题意，舍去。", F, ""), ("2", "答案为 2 或 3", F, ""),
    ("x=1 或 x=2", "【答案】x=1 或 x=2", T, ""),
    # a red team's probes of those rules (2026-12-06): references with 或, full-width forms, denials
    # and doubts in Chinese, Japanese and Korean, "or" with a name, a doubt or a bracket between
    ("x=2或x=3", "所以 $x=2$ 或 $x=3$。", T, ""), ("x=2或x=3", "【答案】$x=2$ 或 $x=3$", T, ""), ("$3$ 个", "3", T, ""),
    ("3", "答案：3？", F, ""), ("5", "题目要求的答案需要分类讨论。\n综上，$x=5$。", T, ""), ("3", "【答案】－3", F, ""),
    ("3.5", "【答案】３．５", T, ""), ("(3,4)", "【答案】（3，4）", T, ""), ("3", "因此，结果为3。", T, ""),
    ("增函数", "\\boxed{\\text{增函数}}", T, ""),
    *[("3", text, F, "") for text in (
        "答案不会是 3", "所以 x=3 是错的", "x=3 不正确", "所以 x 不能为 3", "不一定是 3", "【答案】不确定，可能是 3",
        "答えは 3 ではありません", "정답은 3이 아닙니다", "所以 x=2 或 x=3", "x 为 2 或者为 3", "$x=2$ 或者是 $3$", "x 是 2 还是 3",
        "x = 2 or x = 3", "x is 2 or maybe 3", "The distance is 2 (or 3).", "It is 2 or\n3", "So x cannot be $3$.",
        "So $x$ is not $3$.")],
    # an answer taken back after it is stated, and two values joined by "and" (2026-12-06): both passed as
    # the value the reference has
    *[("3", text, F, "") for text in (
        "Answer: 3\nNo, it should be 4.", "So $\\boxed{3}$. Wait, that is wrong: it is $4$.",
        "The answer is 3. Actually, I made an error; it should be 4.", "\\boxed{3}\n\nOops, I made a mistake: $x = 4$.",
        "答案：3。不对，应该是4。", "The roots are $2$ and $3$.", "The roots are 2 and 3.", "the solutions are x = 2 and x = 3",
        "所以 x=2 和 x=3", "So $x=2$ and $x=3$.")],
    *[("3", text, T, "") for text in (
        "\\boxed{3}\n\nWait, let me double check: yes, $3$.", "The answer is 3. Actually, 3 is right.",
        "\\boxed{3}\n\nNo other value works.", "Adding 1 and 2 gives 3.")],
    ("2, 3", "The roots are $2$ and $3$.", T, ""), ("2, 3", "所以 x=2 和 x=3", T, ""), ("4", "Answer: 3\nNo, it should be 4.", F, ""),
    # TheoremQA's chain-of-thought outputs (wenhuchen/TheoremQA, 2026-12-06): approximations, truth values, an
    # option's label before its value, SI units against a number, a bracketed list that ends the text
    *[(ref, text, T, "") for ref, text in (
        ("5", "The answer is approximately 5."), ("True", "This argument is True."), ("True", "Therefore, the answer is true."),
        ("False", "Therefore, the answer is False: the transform is not even."), ("25", "Therefore, the answer is (c) 25."),
        ("(a)", "Therefore, the answer is (a) [0,1]."), ("8", "Therefore, the answer is 8kHz."),
        ("0.17", "Therefore, the answer is 0.17 V."), ("[12, 8, 5]", "Therefore, the answer is [12, 8, 5] mW."),
        ("1.28e-06", "Therefore, the answer is 1.28 x 10^-6 V/K."),
        ("0.1814", "Therefore, the answer is approximately 0.1814 or 18.14%."), ("[2, 4]", "So the minimum vertex cover is [2, 4]."),
        ("300", "The temperature is $300 \\text{ K}$."), ("2", "\\boxed{2 m}"))],
    *[(ref, text, F, "") for ref, text in (
        ("5", "So the path is [0, 5]."), ("2", "So the point is (1, 2)."), ("True", "Therefore, the answer is False."),
        ("3x", "Therefore, the answer is 3 m."), ("0.17", "Therefore, the answer is 0.18 V."), ("5", "The answer is about 5 or 6."),
        ("25", "Therefore, the answer is (c) 26."), ("True", "It is true that x is 3. So the answer is 4."))],
    # the last number of a statement that names it with LaTeX, of a statement with several numbers, and after a bound
    ("18", "Therefore, the order of the group Z_{18} is 18.", T, ""),
    *[(ref, text, F, "") for ref, text in (
        ("4", "Therefore, the answer is that it will take roughly 64 seconds to transfer the 4 MB file."),
        ("5", "Therefore, the answer is that there are 125 trees on 5 labeled vertices."),
        ("2", "So x <= 2"), ("2", "So x < 2."), ("2", "Thus x ≥ 2"), ("2", "So x \\le 2"), ("2", "So x < $2$."),
        ("2", "Hence x is less than or equal to $2$."))],
    # a red team's probes of this session's rules (2026-12-06): each was a false pass or a false fail
    *[(ref, text, F, "") for ref, text in (
        ("0.5", "\\boxed{50 or 50\\%}"), ("5", "\\boxed{5 or 5\\%}"), ("a+1", "\\boxed{(a)(a+1)}"), ("-1", "\\boxed{(a) - 1}"),
        ("True", "We cannot determine whether the statement is true."), ("True", "The answer is True (for n >= 2), False otherwise."),
        ("2", "\\boxed{2m}"), ("2", "So the limit of $n a_n$ is 2 or more."), ("4", "The period of $\\sin(x/2)$ is 4 pi."),
        ("2, 3", "The solutions are between 2 and 3."))],
    *[(ref, text, T, "") for ref, text in (
        ("20", "So $\\boxed{20}$.\n\nActually, let me re-examine: each of the 4 rows has 5 seats."),
        ("36", "$\\boxed{36}$.\n\nActually, there's a simpler way: $6 \\times 6 = 36$ square units, since each side is 6."),
        ("36", "$\\boxed{36}$.\n\nNo, wait. Let me recompute with side 6: $6^2 = 36$."),
        ("10", "\\boxed{10}\n\nWait, but the problem asks for the number of ways, which is 10, not 2."),
        ("12", "The answer is 12.\nActually, this is also the number of edges of a cube, which has 6 faces."),
        ("5", "$\\boxed{5}$\n\nNo, there are no other solutions since $x^2 = 25$."),
        ("(c) 25", "The answer is (c) 25"), ("(C) 25", "\\boxed{(C) 25}"), ("3", "Therefore, $a = 2$ and $b = 3$."),
        ("7", "Solving the system, we get $a = 4$ and $b = 7$."), ("42", "Total: 12 + 30 => 42"), ("42", "So 12 + 30 -> 42"),
        ("10", "Thus f(10) is attained at f(3, 10)"), ("True", "Answer: yes"), ("False", "Answer: No."))],
    ("True", "Answer: no", F, ""), ("False", "The answer is yes.", F, ""),
    # the fifth import of grader suites (session 30): a reply of one word, a value and its unit, a reference that
    # states its number, a box the reply calls final after a draft box
    *[(ref, text, T, "") for ref, text in (
        ("White", "white"), ("White", "White"), ("\\text{ellipse}", "ellipse"), ("2\\pi", "2\\pi cm"),
        ("2\\pi", "The answer is 2\\pi cm."), ("5", "5 kg"), ("The number is 4.", "It is 4."), ("The number is 4.", "4"),
        ("42", "first \\boxed{0}, finally \\boxed{42}"), ("42", "\\boxed{0} was a slip.\n\n**Final Answer:** \\boxed{42}"),
        ("42", "Ultimately $\\boxed{42}$"))],
    *[(ref, text, F, "") for ref, text in (
        ("White", "black"), ("5", "Hello"), ("2\\pi r", "2\\pi cm"), ("The number is 4.", "5"),
        ("0", "first \\boxed{0}, finally \\boxed{42}"), ("42", "\\boxed{0} or \\boxed{42}"),
        ("42", "\\boxed{42}, finally \\boxed{0}"), ("42", "The final answer is \\boxed{42}. Or maybe \\boxed{7}."))],
    # plain-text mathematics (isaacphysics' student inputs, sympy's printing): nested `sqrt(`, `**(`, Greek names, `==`
    *[(ref, text, T, "") for ref, text in (
        ("\\frac{\\theta}{2}", "theta/2"), ("\\sqrt{\\frac{x+1}{2}}", "sqrt((x+1)/2)"), ("\\alpha + \\beta", "alpha + beta"),
        ("t = \\sqrt{2s/a}", "t == sqrt((2*s)/(a))"), ("x^{1/2}", "x**((1)/(2))"),
        ("42", "\\boxed{0}\n\n## Final Answer\n\\[\\boxed{42}\\]"))],
    # a red team's probes of this session's rules (2026-12-07): each was a false pass in a first version, or before
    *[(ref, text, F, "") for ref, text in (
        ("\\frac{M}{m}", "\\boxed{\\frac{m}{M}}"), ("M-m", "\\boxed{m-M}"), ("\\frac{mv}{M+m}", "\\boxed{\\frac{Mv}{M+m}}"),
        ("\\frac{M}{m}\\theta", "\\boxed{\\frac{m}{M}\\theta}"), ("IV", "VI"), ("no", "on"), ("-1", "II"), ("0", "ab-ab"),
        ("2\\pi", "\\boxed{2\\pi mg}"), ("2\\pi", "\\boxed{2\\pi h}"), ("\\pi", "\\boxed{\\pi m}"),
        ("4", "\\boxed{3} or finally \\boxed{4}"), ("4", "Either \\boxed{3}, or in the end \\boxed{4}"),
        ("4", "If x>0, final answer: \\boxed{3}. If x<0, final answer: \\boxed{4}."),
        ("4", "\\boxed{3}. This is not the final answer: \\boxed{4}"),
        ("4", "My answer is \\boxed{3}. A common wrong final answer is \\boxed{4}"),
        ("4", "\\boxed{3}. Or is the final answer \\boxed{4}?"), ("4", "\\boxed{3}. Maybe the final answer is \\boxed{4}"),
        ("4", "\\boxed{3}\nFinal answer: \\boxed{4}?"), ("\\alpha + \\beta", "alpha + gamma"),
        ("\\sqrt{\\frac{x+1}{2}}", "sqrt((x+1)/3)"), ("The time is 4.30.", "4.3"))],
    # a second red team (2026-12-07): case in single symbols, one-word replies, a powered capital I, plain-text indices,
    # font-wrapped choice letters, a final-answer sentence after a draft box
    *[(ref, text, F, "") for ref, text in (
        ("T_1", "\\boxed{t_1}"), ("\\Omega", "\\boxed{\\omega}"), ("\\vec{F}", "\\boxed{\\vec{f}}"), ("Mg", "mg"), ("Mg", "$mg$"),
        ("P = I^2R", "\\boxed{P = IR}"), ("\\frac{1}{2}LI^2", "\\boxed{\\frac{1}{2}LI}"), ("3\\theta", "theta1 + theta2"),
        ("3m", "m1 + m2"), ("4", "\\boxed{3}. I think the final answer is \\boxed{4}."))],
    *[(ref, text, T, "") for ref, text in (
        ("\\text{(C)}", "(c)"), ("\\text{(c)}", "(C)"), ("\\mathrm{C}", "c"), ("m_1 + m_2", "m1 + m2"), ("xy", "$yx$"),
        ("White", "white."), ("4", "\\boxed{3}\n\nSo the final answer is \\boxed{4}."),
        ("4", "\\boxed{3}\n\n**Final Answer**\n$$\\boxed{4}$$"), ("-1", "\\boxed{i^2}"), ("2\\pi i", "\\boxed{2\\pi I}"))],
]
