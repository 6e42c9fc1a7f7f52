"""Print /api/v1/openapi.json as the server generates it (no database
needed): `python mobile/scripts/dump_openapi.py > mobile/openapi.json`."""
import json
import sys

from urban_mobile_api import openapi


def main():
    json.dump(openapi.document(), sys.stdout, indent=2, sort_keys=True,
        ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
