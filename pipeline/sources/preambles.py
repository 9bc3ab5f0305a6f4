"""What each dataset's own harness runs before a candidate's code (a `CodeProblem`'s
`preamble`). Models answer the starter code these harnesses give them (`class Solution:
def f(self, nums: List[int])`), so an answer that uses `List` without importing it is
right there; judged without the preamble it was a NameError, a false fail.

LeetCodeDataset ships its preamble in each row (`prompt`); see `leetcode.py`.
"""

from __future__ import annotations

# LiveCodeBench/LiveCodeBench, lcb_runner/evaluation/testing_util.py: `import_string`,
# put before both call-based and stdin programs.
LIVECODEBENCH = (
    "from string import *\nfrom re import *\nfrom datetime import *\nfrom collections import *\nfrom heapq import *\n"
    "from bisect import *\nfrom copy import *\nfrom math import *\nfrom random import *\nfrom statistics import *\n"
    "from itertools import *\nfrom functools import *\nfrom operator import *\nfrom io import *\nfrom sys import *\n"
    "from json import *\nfrom builtins import *\nfrom typing import *\nimport string\nimport re\nimport datetime\n"
    "import collections\nimport heapq\nimport bisect\nimport copy\nimport math\nimport random\nimport statistics\n"
    "import itertools\nimport functools\nimport operator\nimport io\nimport sys\nimport json\nsys.setrecursionlimit(50000)\n"
)

# hendrycks/apps, eval/testing_util.py (TACO's harness is a copy): the `sol` header put
# before call-based and standard-input programs. Its `import numpy as np` is left out:
# the Docker sandbox's image has no numpy, and a header that fails would fail every sample.
APPS = (
    "import sys\nimport time\nimport itertools\nfrom itertools import accumulate, product, permutations, combinations\n"
    "import collections\nfrom collections import Counter, OrderedDict, deque, defaultdict, ChainMap\n"
    "from functools import lru_cache\nimport math\nfrom math import sqrt, sin, cos, tan, ceil, fabs, floor, gcd, exp, log, log2\n"
    "import fractions\nfrom typing import List, Tuple\nimport random\nimport heapq\nfrom heapq import *\n"
)
