#!/usr/bin/env node
// Fails when the committed OpenAPI document (openapi.json) or the client types
// generated from it (src/api/schema.d.ts) are stale. Fix: `npm run openapi &&
// npm run generate:client`. PYTHON: the interpreter with trytond and our modules.
const {execFileSync} = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const python = process.env.PYTHON || 'python3';
let failed = false;

const fresh = execFileSync(python, [path.join(root, 'scripts', 'dump_openapi.py')], {
  cwd: path.dirname(root), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  env: {...process.env, PYTHONPATH: [path.dirname(root), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter)},
});
if (fresh !== fs.readFileSync(path.join(root, 'openapi.json'), 'utf8')) {
  console.error('mobile/openapi.json is stale: run `npm run openapi && npm run generate:client` in mobile/');
  failed = true;
}

const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'urban-client-')), 'schema.d.ts');
const spec = path.join(path.dirname(tmp), 'openapi.json');
fs.writeFileSync(spec, fresh);
execFileSync(process.execPath, [path.join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), spec,
  '--default-non-nullable', 'false', '-o', tmp], {cwd: root, stdio: 'ignore'});
if (fs.readFileSync(tmp, 'utf8') !== fs.readFileSync(path.join(root, 'src', 'api', 'schema.d.ts'), 'utf8')) {
  console.error('mobile/src/api/schema.d.ts is stale: run `npm run generate:client` in mobile/');
  failed = true;
}
fs.rmSync(path.dirname(tmp), {recursive: true, force: true});
if (failed) process.exit(1);
console.log('client up to date');
