"""`python -m cob_analysis`: see cob_analysis.cli."""

import sys

from cob_analysis.cli import main

if __name__ == "__main__":
    sys.exit(main())
