// The committed pandas fixture is what pandas computes today: the script that made it runs again
// with Debian's pandas (/usr/bin/python3, a system package of the test setup) and must agree, to
// the relative 1e-9 the profile's own comparison with it uses (numpy's sums differ by CPU in the
// 14th digit: std 0.4740112444054184 on one machine, 0.47401124440538067 on another).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { assertDeepClose } from '../../support/approx';
import { DATASETS, FIXTURES, ROOT } from '../../support/paths';

describe('pandas fixture', () => {
  it('regenerates with /usr/bin/python3 and pandas to within the tolerance the value tests use', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mlw-pandas-')), 'pandas_profile.json');
    const r = spawnSync('/usr/bin/python3', [path.join(ROOT, 'test', 'scripts', 'make_pandas_fixture.py'), DATASETS], { env: { ...process.env, OUT: out }, encoding: 'utf8' });
    assert.equal(r.status, 0, `make_pandas_fixture.py failed (apt-get install python3-pandas): ${r.stderr}`);
    const fresh = JSON.parse(fs.readFileSync(out, 'utf8'));
    const committed = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'pandas_profile.json'), 'utf8'));
    assertDeepClose(fresh, committed, 1e-9);
  });
});
