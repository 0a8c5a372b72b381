// Runs a Python reference (Debian's /usr/bin/python3 with pandas and scikit-learn) on JSON sent to
// its stdin and reads the JSON it prints: the live side of the transformer tests.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

export function python<T>(code: string, input: unknown = null, args: string[] = []): T {
  const r = spawnSync('/usr/bin/python3', ['-c', code, ...args], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, `the Python reference failed (apt-get install python3-pandas python3-sklearn): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
