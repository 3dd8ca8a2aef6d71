import sys

from meari.cli import main

sys.exit(main())
