// npm test: every test, in order: type check, build, unit tests (mocha), integration tests inside
// a real VS Code, the packaged .vsix, and the UI drive. Ends with one line "N passed, N failed".
import { spawn } from 'node:child_process';
import { DATASETS, missingDatasets } from '../test/support/workspace.mjs';

const stages = [
  ['type check', 'npm', ['run', 'typecheck']],
  ['build', 'npm', ['run', 'build']],
  ['unit tests', 'npm', ['run', 'test:unit']],
  ['integration tests (VS Code extension host)', 'npm', ['run', 'test:integration']],
  ['UI tests (packaged .vsix in VS Code, Chromium)', 'npm', ['run', 'test:ui']],
];
const only = process.argv[2];
let passed = 0, failed = 0;
const failedStages = [];

function run(name, cmd, args) {
  return new Promise((resolve) => {
    console.log(`\n=== ${name}`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-20000);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code) => {
      // Mocha's summary lines: "  12 passing (3s)" and "  1 failing".
      let p = 0, f = 0;
      for (const m of tail.matchAll(/^\s*(\d+) passing/gm)) p = Number(m[1]);
      for (const m of tail.matchAll(/^\s*(\d+) failing/gm)) f = Number(m[1]);
      if (code !== 0 && f === 0) f = 1; // a stage that failed outside mocha counts once
      passed += p;
      failed += f;
      if (code !== 0) failedStages.push(name);
      resolve(code);
    });
  });
}

// The suites read the shared datasets; without them they would fail midway, one test at a time.
const missing = missingDatasets();
if (missing.length) {
  console.log(`The tests need the shared datasets, and ${DATASETS} lacks ${missing.join(', ')}.`);
  console.log('Put them there (the project expects ../shared/datasets beside the clone), or set MLW_DATASETS to the folder that holds them.');
  console.log('\n0 passed, 1 failed');
  process.exit(1);
}

for (const [name, cmd, args] of stages) {
  if (only && !name.startsWith(only)) continue;
  await run(name, cmd, args);
}
if (failedStages.length) console.log(`\nfailed stages: ${failedStages.join('; ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed || failedStages.length ? 1 : 0);
