"""Load the demo data: `python -m urbantherapy.demo -c CONFIG -d DATABASE`."""
import argparse
import os
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('-c', '--config', dest='config_file',
        default=os.environ.get('TRYTOND_CONFIG'))
    parser.add_argument('-d', '--database', required=True)
    parser.add_argument('--no-progress', dest='progress',
        action='store_false')
    options = parser.parse_args(argv)
    from .loader import DemoLoader
    start = time.perf_counter()
    loaded = DemoLoader(options.database, options.config_file,
        progress=options.progress).run()
    if loaded:
        print("Demo data loaded in %.0f s." % (time.perf_counter() - start))
    else:
        print("Demo data already present: nothing to do.")
    return 0


if __name__ == '__main__':
    sys.exit(main())
