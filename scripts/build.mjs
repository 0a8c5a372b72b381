// Bundles every entry with esbuild: the extension host, its worker threads, the CLI, each webview
// panel, and the test suites (so tests run the same bundled code the product ships).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');

/**
 * `import validate from '…/x.schema.json?standalone'`: the schema compiled by Ajv here, at build
 * time, into plain code (Ajv's standalone output; its few runtime helpers are bundled). Compiling
 * the run spec's schema when a process first checks a spec took 80-100 ms of every fresh
 * `mlw train`. Options as the code used at run time: every error, not strict.
 */
const standaloneSchemas = {
  name: 'ajv-standalone',
  setup(build) {
    build.onResolve({ filter: /\.schema\.json\?standalone$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/\?standalone$/, '')), namespace: 'ajv-standalone' }));
    build.onLoad({ filter: /.*/, namespace: 'ajv-standalone' }, (args) => {
      const Ajv = require('ajv').default;
      const standaloneCode = require('ajv/dist/standalone').default;
      const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
      const validate = ajv.compile(JSON.parse(fs.readFileSync(args.path, 'utf8')));
      return { contents: standaloneCode(ajv, validate), loader: 'js', resolveDir: path.dirname(require.resolve('ajv/package.json')), watchFiles: [args.path] };
    });
  },
};

/**
 * `import bytes from './wasm/x.ts?wasm'`: AssemblyScript compiled here into WebAssembly and bundled
 * as bytes (src/core/ml/models/mlp/wasm: the network's training kernels). The compiler runs in
 * memory, so no generated file lands in the tree.
 */
const assemblyScript = {
  name: 'assemblyscript',
  setup(build) {
    build.onResolve({ filter: /\?wasm$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/\?wasm$/, '')), namespace: 'assemblyscript' }));
    build.onLoad({ filter: /.*/, namespace: 'assemblyscript' }, async (args) => {
      const asc = (await import('assemblyscript/asc')).default;
      let binary, log = '';
      const stream = { write: (text) => { log += text; return true; } };
      const { error } = await asc.main([path.relative(process.cwd(), args.path), '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd', '--outFile', 'out.wasm'], {
        stdout: stream,
        stderr: stream,
        writeFile: (name, contents) => { if (name.endsWith('.wasm')) binary = contents; },
      });
      if (error || !binary) return { errors: [{ text: `AssemblyScript: ${error?.message ?? 'no output'}\n${log}` }] };
      return { contents: binary, loader: 'binary', watchFiles: [args.path] };
    });
  },
};

/**
 * TensorFlow.js lives in a bundle of its own, dist/tfjs.js (src/core/ml/models/mlp/tfjsBundle.ts):
 * every other bundle's imports of its packages become a small module that requires that file, found
 * beside the bundle or in a folder above (the tests' bundles sit in dist/test/…). A process that
 * never fits a network never reads it, and every bundle in a process shares its one engine.
 */
const TFJS_PARTS = { '@tensorflow/tfjs-core': 'core', '@tensorflow/tfjs-layers': 'layers', '@tensorflow/tfjs-backend-cpu': 'backendCpu', '@tensorflow/tfjs-backend-wasm': 'backendWasm' };
const tfjsApart = {
  name: 'tfjs-apart',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-(core|layers|backend-cpu|backend-wasm)$/ }, (args) => ({ path: args.path, namespace: 'tfjs-apart' }));
    build.onLoad({ filter: /.*/, namespace: 'tfjs-apart' }, (args) => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: `const fs = require('node:fs'), path = require('node:path');
let dir = __dirname;
while (!fs.existsSync(path.join(dir, 'tfjs.js'))) {
  const up = path.dirname(dir);
  if (up === dir) throw new Error('ML Workbench: tfjs.js (TensorFlow.js) is not beside ' + __dirname + ' or above it; npm run build makes it');
  dir = up;
}
module.exports = require(path.join(dir, 'tfjs.js'))[${JSON.stringify(TFJS_PARTS[args.path])}];`,
    }));
  },
};
const production = process.argv.includes('--production');

/** Test files (*.test.ts) and a suite's index.ts, in subfolders too with `deep` (the unit tests mirror src/); helpers are bundled into them. */
function testEntries(dir, deep = false) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((e) =>
    e.isDirectory() ? (deep ? testEntries(path.join(dir, e.name), true) : []) : e.name.endsWith('.test.ts') || e.name === 'index.ts' ? [path.join(dir, e.name)] : []);
}

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The Python a scaffold writes is kept as .py files (src/core/serving/python) and bundled as text.
  loader: { '.py': 'text' },
  // libsvm-js (bench only) loads its .wasm from beside its own files.
  external: ['vscode', 'mocha', 'playwright-core', '@tensorflow/tfjs-node', 'libsvm-js', 'onnxruntime-node', 'esbuild'],
  plugins: [standaloneSchemas, assemblyScript, tfjsApart],
};

const builds = [
  // The extension's bundle notes when it starts and ends loading: activate() reports load and activation apart.
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist', banner: { js: 'var __mlwLoadStart = performance.now(), __mlwLoadEnd;' }, footer: { js: '__mlwLoadEnd = performance.now();' } },
  { ...node, entryPoints: { csvWorker: 'src/core/csv/rangeWorker.ts', profileWorker: 'src/core/profile/profileWorker.ts', forestWorker: 'src/core/ml/models/forest/forestWorker.ts', svmWorker: 'src/core/ml/models/svmWorker.ts', cvWorker: 'src/core/ml/cvWorker.ts', jobWorker: 'src/extension/jobs/jobWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/mlw.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  { ...node, plugins: [], entryPoints: { tfjs: 'src/core/ml/models/mlp/tfjsBundle.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { benchProfile: 'bench/profileRun.ts', benchTrain: 'bench/trainRun.ts', benchFeatures: 'bench/featuresRun.ts', benchHttpServer: 'bench/httpServer.ts', benchDrift: 'bench/driftRun.ts', benchMonitor: 'bench/monitorRun.ts' }, outdir: 'dist' },
  // One bundle for all unit tests, as the product has one per thread: TensorFlow.js keeps its
  // engine in a global, and several bundled copies of its backends in one process would clash.
  {
    ...node,
    stdin: { contents: testEntries('test/unit', true).map((f) => `import './${path.relative('test/unit', f).split(path.sep).join('/')}';`).join('\n'), resolveDir: 'test/unit', sourcefile: 'all.test.ts', loader: 'ts' },
    outfile: 'dist/test/unit/all.test.js',
  },
  { ...node, entryPoints: testEntries('test/integration'), outdir: 'dist/test/integration' },
  { ...node, entryPoints: { makeSlowParity: 'test/scripts/make_slow_parity_fixture.ts', fitMemory: 'test/scripts/fit_memory.ts' }, outdir: 'dist/test/scripts' },
  { ...node, entryPoints: { storeWriter: 'test/unit/storeWriter.ts' }, outdir: 'dist/test/unit' },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { profile: 'webview/profile/main.ts', run: 'webview/run/main.ts', compare: 'webview/compare/main.ts', features: 'webview/features/main.ts', tryit: 'webview/tryit/main.ts', drift: 'webview/drift/main.ts', monitor: 'webview/monitor/main.ts', ab: 'webview/ab/main.ts' },
    outdir: 'media/webview',
  },
];

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('watching for changes');
} else {
  const t0 = Date.now();
  await Promise.all(builds.map((b) => esbuild.build(b)));
  fs.chmodSync('dist/cli.js', 0o755);
  // TensorFlow.js's WebAssembly backend loads these at run time, from beside the bundle.
  const wasm = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  for (const f of fs.readdirSync(wasm).filter((n) => n.endsWith('.wasm'))) fs.copyFileSync(path.join(wasm, f), path.join('dist', f));
  console.log(`built in ${Date.now() - t0} ms`);
}
