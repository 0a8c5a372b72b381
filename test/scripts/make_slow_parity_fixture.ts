// Writes test/fixtures/sklearn_slow_parity.json: scikit-learn's test accuracy for the models too
// slow to run live in every CI run (SVC and the MLP on mpls_stops: libsvm alone needs minutes),
// on exactly our split of the reference pipeline. A checksum of our matrices is stored with them,
// so the parity test fails if our split or preprocessing changes and the fixture goes stale.
//   npm run fixtures:sklearn-slow
import * as fs from 'node:fs';
import { referenceData } from '../referencePipeline';
import { matrixChecksum } from '../support/checksum';
import { dataset } from '../support/paths';
import { sklearnScores } from '../support/sklearnLive';

(async () => {
  const d = await referenceData('mpls_stops', dataset('mpls_stops.csv'));
  const t0 = Date.now();
  const scores = sklearnScores(d, { svc: 'SVC()', mlp: 'MLPClassifier(hidden_layer_sizes=(64, 64), max_iter=50, random_state=42)' });
  const out = { dataset: 'mpls_stops', checksum: matrixChecksum(d), sklearn: '/usr/bin/python3, Debian python3-sklearn', seconds: (Date.now() - t0) / 1000, accuracy: scores };
  fs.writeFileSync('test/fixtures/sklearn_slow_parity.json', JSON.stringify(out, null, 2) + '\n');
  console.log(out);
})();
