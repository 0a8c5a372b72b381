// Every worker thread the engine starts must be built and shipped: a worker missing from the
// .vsix fails only when a user reaches it (a multiclass SVC, a forest on large data).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND } from '../../../src/extension/commandIds';
import { ROOT } from '../../support/paths';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('packaging', () => {
  it('every worker script the code starts is a build entry and is kept in the .vsix', () => {
    const names = new Set<string>();
    for (const f of sources(path.join(ROOT, 'src'))) for (const m of fs.readFileSync(f, 'utf8').matchAll(/workerScript\('(\w+)'\)/g)) names.add(m[1]);
    assert.ok(names.has('forestWorker') && names.has('svmWorker'), [...names].join(', '));
    const build = fs.readFileSync(path.join(ROOT, 'scripts', 'build.mjs'), 'utf8');
    const kept = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const name of names) {
      assert.match(build, new RegExp(`\\b${name}: '`), `${name} is not built by scripts/build.mjs`);
      assert.ok(kept.includes(`!dist/${name}.js`), `dist/${name}.js is left out of the .vsix by .vscodeignore`);
    }
  });
});

describe('commands', () => {
  it('the command ids in the code are the ones package.json contributes, each once, and every menu names one', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual([...contributed].sort(), Object.values(COMMAND).sort());
    assert.equal(new Set(contributed).size, contributed.length);
    const menus = Object.values(pkg.contributes.menus as Record<string, { command?: string }[]>).flat();
    for (const m of menus) if (m.command) assert.ok(contributed.includes(m.command), `a menu names ${m.command}, which is not contributed`);
    for (const f of sources(path.join(ROOT, 'src', 'extension'))) {
      if (f.endsWith('commandIds.ts')) continue;
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/'(mlWorkbench\.\w+)'/g)) assert.ok(!contributed.includes(m[1]), `${path.relative(ROOT, f)} spells out ${m[1]}; use COMMAND`);
    }
  });
});

describe('the webview contract', () => {
  it('the panels take engine types only through webview/contract.ts (and formats through shared/dom.ts)', () => {
    const files = sources(path.join(ROOT, 'webview')).filter((f) => !/webview[\\/](contract|shared[\\/]dom)\.ts$/.test(f));
    for (const f of files) assert.doesNotMatch(fs.readFileSync(f, 'utf8'), /from '(\.\.\/)+src\/core/, `${path.relative(ROOT, f)} imports the engine directly`);
  });
});

describe('the extension host\'s bundle', () => {
  it('loads no engine: no estimator, bundle loader or TensorFlow.js is reachable from activate(); they run in the job worker', async () => {
    const esbuild = await import('esbuild');
    const r = await esbuild.build({
      entryPoints: [path.join(ROOT, 'src', 'extension', 'extension.ts')], bundle: true, platform: 'node', external: ['vscode', '*?wasm'], loader: { '.py': 'text' }, write: false, metafile: true, logLevel: 'silent', outdir: path.join(ROOT, 'dist', 'metafile-check'),
    });
    const inputs = Object.keys(r.metafile.inputs);
    const engine = inputs.filter((f) => /@tensorflow|src\/core\/ml\/(models|registry|estimator)|src\/core\/workflow\/bundle\.ts|src\/core\/profile\//.test(f));
    assert.deepEqual(engine, [], 'engine modules in the extension host\'s bundle');
    assert.ok(inputs.some((f) => f.includes('src/core/tracking/mlflowStore.ts')), 'the store, which the Experiments view reads, is there');
  });
});
