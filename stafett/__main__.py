import sys

from stafett.cli import main

sys.exit(main())
