// A checksum of a train/test split's matrices and targets, to tie a stored fixture to the exact data.
import { createHash } from 'node:crypto';
import type { TrainTestData } from '../../src/core/ml/dataset';

export function matrixChecksum(d: TrainTestData): string {
  const h = createHash('sha256');
  for (const a of [d.Xtrain.data, d.Xtest.data, d.ytrain, d.ytest]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex').slice(0, 16);
}
