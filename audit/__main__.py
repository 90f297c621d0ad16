"""`python -m audit`: build the content review report (see audit/build.py)."""
import sys

from audit.build import main

sys.exit(main())
