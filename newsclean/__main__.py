"""`python -m newsclean`: the `newsclean` command."""

import sys

from newsclean.cli import main

if __name__ == "__main__":  # not when a test collector imports it
    sys.exit(main())
