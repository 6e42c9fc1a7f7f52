"Hash of what shapes a database schema: our modules and the pinned packages."
import hashlib
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA_SUFFIXES = {'.py', '.xml', '.cfg', '.po'}


def modules_fingerprint(root=ROOT):
    digest = hashlib.sha256()
    paths = [root / 'requirements.txt']
    # the demo loader shapes the cached demo database too
    demo = root / 'urbantherapy' / 'demo'
    for module in [*sorted(root.glob('urban_*')), demo]:
        paths.extend(sorted(
                p for p in module.rglob('*')
                if p.suffix in SCHEMA_SUFFIXES and 'tests' not in p.parts
                and '__pycache__' not in p.parts))
    for path in paths:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
