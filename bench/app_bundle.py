"""Size of the B2C app's web export (what /webapp serves), as built by
`make app-web` (mobile/dist).

Prints js_kb= (all JavaScript bundles), js_gzip_kb= (what travels with
gzip), css_kb=, assets_kb= (images, fonts), total_kb=, files=.

Usage: .venv/bin/python bench/app_bundle.py [--dist mobile/dist] [--build]
--build runs the export first (~30 s warm, ~3 min cold).
Runtime: under a second without --build.
"""
import argparse
import gzip
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--dist', default=str(ROOT / 'mobile' / 'dist'))
    parser.add_argument('--build', action='store_true')
    args = parser.parse_args()
    dist = pathlib.Path(args.dist)
    if args.build:
        subprocess.run(['npx', 'expo', 'export', '--platform', 'web',
                '--output-dir', str(dist)], cwd=ROOT / 'mobile', check=True,
            stdout=subprocess.DEVNULL)
    if not (dist / 'index.html').is_file():
        sys.exit("%s has no export: run `make app-web` (or --build)" % dist)
    sizes = {'js': 0, 'css': 0, 'assets': 0}
    gzipped = 0
    files = 0
    for path in dist.rglob('*'):
        if not path.is_file():
            continue
        files += 1
        size = path.stat().st_size
        if path.suffix == '.js':
            sizes['js'] += size
            gzipped += len(gzip.compress(path.read_bytes(), 9))
        elif path.suffix == '.css':
            sizes['css'] += size
        elif path.suffix not in {'.html', '.json'}:
            sizes['assets'] += size
    total = sum(p.stat().st_size for p in dist.rglob('*') if p.is_file())
    print('js_kb=%.1f' % (sizes['js'] / 1024))
    print('js_gzip_kb=%.1f' % (gzipped / 1024))
    print('css_kb=%.1f' % (sizes['css'] / 1024))
    print('assets_kb=%.1f' % (sizes['assets'] / 1024))
    print('total_kb=%.1f' % (total / 1024))
    print('files=%d' % files)


if __name__ == '__main__':
    main()
