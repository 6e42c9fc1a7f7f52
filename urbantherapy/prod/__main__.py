import sys

from .entrypoint import main

sys.exit(main(sys.argv[1:]))
