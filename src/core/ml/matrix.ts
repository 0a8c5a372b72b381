// A dense row-major matrix of float64, the engine's feature matrix (X).
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, data?: Float64Array): Matrix {
  if (data && data.length !== rows * cols) throw new Error(`matrix: ${data.length} values for ${rows}×${cols}`);
  return { rows, cols, data: data ?? new Float64Array(rows * cols) };
}

/** The given rows of m, in that order. */
export function takeRows(m: Matrix, rows: ArrayLike<number>): Matrix {
  const out = matrix(rows.length, m.cols);
  for (let i = 0; i < rows.length; i++) out.data.set(m.data.subarray(rows[i] * m.cols, (rows[i] + 1) * m.cols), i * m.cols);
  return out;
}

export function take<T extends Float64Array | Int32Array>(v: T, rows: ArrayLike<number>): T {
  const out = new (v.constructor as { new (n: number): T })(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = v[rows[i]];
  return out;
}

/** Compressed sparse rows: row i's non-zeros are col/val[start[i] .. start[i + 1]). */
export function nonZeros(X: Matrix): { start: Int32Array; col: Int32Array; val: Float64Array } {
  let nnz = 0;
  for (let i = 0; i < X.data.length; i++) if (X.data[i] !== 0) nnz++;
  const start = new Int32Array(X.rows + 1), col = new Int32Array(nnz), val = new Float64Array(nnz);
  let p = 0;
  for (let i = 0; i < X.rows; i++) {
    start[i] = p;
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[i * X.cols + j];
      if (v !== 0) {
        col[p] = j;
        val[p++] = v;
      }
    }
  }
  start[X.rows] = p;
  return { start, col, val };
}
