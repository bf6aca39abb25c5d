"""briefing: turn a day's news articles into a trustworthy daily brief (PDF, HTML, JSON)."""

from __future__ import annotations

import logging
import os

# BLAS on one thread, set before numpy loads it: the analysis multiplies small matrices, where more threads only
# spin (issue #18), and each analysis worker process is one core of its own. A value already set is kept.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
