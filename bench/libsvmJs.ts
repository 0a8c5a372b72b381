// libsvm compiled to WebAssembly (the npm package libsvm-js), wrapped for bench:train
// (BENCH_LIBSVM_JS=1) so that it is measured beside our own SMO (src/core/ml/models/svm.ts) and
// scikit-learn's libsvm, on the same matrices. Only the benchmark uses it; the engine does not.
import type { Matrix } from '../src/core/ml/matrix';
import { resolveGamma } from '../src/core/ml/models/svm';

interface LibsvmModel {
  train(samples: number[][], labels: number[]): void;
  predict(samples: number[][]): number[];
  free(): void;
}
interface Libsvm {
  new (options: Record<string, unknown>): LibsvmModel;
  SVM_TYPES: { C_SVC: unknown };
  KERNEL_TYPES: { RBF: unknown };
}

// libsvm-js takes an array of arrays; building it is part of what using it costs.
const rowsOf = (X: Matrix) => Array.from({ length: X.rows }, (_, r) => Array.from(X.data.subarray(r * X.cols, (r + 1) * X.cols)));

export class LibsvmJsSVC {
  private model?: LibsvmModel;

  async fit(X: Matrix, y: Int32Array): Promise<this> {
    // Not bundled (scripts/build.mjs): the package finds its .wasm beside its own files.
    const SVM: Libsvm = await require('libsvm-js/wasm');
    // scikit-learn's SVC(): gamma='scale', C 1, tolerance 1e-3, shrinking, a 200 MB kernel
    // cache, no probabilities.
    this.model?.free();
    this.model = new SVM({ type: SVM.SVM_TYPES.C_SVC, kernel: SVM.KERNEL_TYPES.RBF, gamma: resolveGamma('scale', X), cost: 1, tolerance: 1e-3, shrinking: true, cacheSize: 200, quiet: true });
    this.model.train(rowsOf(X), Array.from(y));
    return this;
  }

  predict(X: Matrix): Int32Array {
    if (!this.model) throw new Error('LibsvmJsSVC: fit first');
    return Int32Array.from(this.model.predict(rowsOf(X)));
  }
}
