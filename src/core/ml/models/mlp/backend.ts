// TensorFlow.js backend chosen at run time: tfjs-node where its native library loads (an optional
// dependency; its install downloads libtensorflow, which not every machine can reach), else the
// WebAssembly backend (its .wasm files ship beside the bundle), else the plain JavaScript backend.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
// A named import, not a bare one: the package marks its Node entry free of side effects, and a
// bare import would be dropped from the bundle together with the backend's registration.
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type TfBackend = 'tensorflow' | 'wasm' | 'cpu';

let chosen: Promise<TfBackend> | undefined;
export const CPU_BACKEND_VERSION = version_cpu;

/** Where the wasm binaries are: beside this bundle (dist/), or in node_modules when run from source. */
function wasmDir(): string | undefined {
  const candidates = [__dirname, path.join(__dirname, '..'), path.join(__dirname, '..', '..')];
  for (const dir of candidates) if (fs.existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm'))) return dir + path.sep;
  try {
    return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')) + path.sep;
  } catch {
    return undefined;
  }
}

export function tfBackend(preferred?: TfBackend): Promise<TfBackend> {
  chosen ??= (async () => {
    const order: TfBackend[] = preferred ? [preferred, 'wasm', 'cpu'] : ['tensorflow', 'wasm', 'cpu'];
    for (const name of order) {
      try {
        if (name === 'tensorflow') {
          // Not bundled (a variable name keeps esbuild's hands off): present only where the
          // optional dependency installed together with its native binary.
          const optional = '@tensorflow/tfjs-node';
          createRequire(__filename)(optional);
        }
        if (name === 'wasm') {
          const dir = wasmDir();
          if (!dir) continue;
          setWasmPaths(dir);
        }
        if (await tf.setBackend(name)) {
          await tf.ready();
          return name;
        }
      } catch {
        // try the next one
      }
    }
    throw new Error('no TensorFlow.js backend could start');
  })();
  return chosen;
}

export { tf };
