"""`python -m afas_mplus.cli`: the same as the `afas-mplus` command."""

import sys

from afas_mplus.cli import main

sys.exit(main())
