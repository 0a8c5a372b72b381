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
