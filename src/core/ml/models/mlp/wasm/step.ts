// The MLP's training step as WebAssembly kernels (AssemblyScript with 128-bit SIMD, compiled at
// build time by scripts/build.mjs's assemblyScript plugin): a dense layer forward, dropout's mask,
// the kernel's and bias's gradients, the gradient passed down, and Adam. trainStep.ts owns the
// memory (every array here is a byte offset into it, f32 row-major, 16-byte aligned, padded to 4).
//
// Why hand-written: on tfjs's wasm backend a step on a batch of 32 was ~33 kernel dispatches, each
// costing more than its arithmetic (420 µs a step on letter_recognition, PyTorch 1 thread ~340).
// Measured on the same machine, one step of 16→64→64→26 on 32 rows: these kernels straight, 295 µs;
// listing each row's nonzero inputs first (ReLU, dropout and one-hot columns leave half or more of
// them zero; a branch on each was mispredicted), 155 µs; the same for the gradient passed down, with
// four running sums, 136 µs.

// idx: scratch of k i32s. Each row's nonzero inputs are listed first (branch-free), then only
// they are multiplied in: ReLU, dropout and one-hot columns leave half or more of them zero.
export function forward(a: usize, w: usize, b: usize, z: usize, n: i32, k: i32, m: i32, relu: i32, idx: usize): void {
  const m16 = m & ~15, m4 = m & ~3;
  const zero = f32x4.splat(0);
  const rowBytes = <usize>m * 4;
  for (let r = 0; r < n; r++) {
    const ar = a + <usize>(r * k) * 4, zr = z + <usize>(r * m) * 4;
    let nnz = 0;
    for (let i = 0; i < k; i++) {
      store<i32>(idx + <usize>nnz * 4, i);
      nnz += i32(load<f32>(ar + <usize>i * 4) != 0);
    }
    let j = 0;
    for (; j < m16; j += 16) {
      const bj = b + <usize>j * 4;
      let c0 = v128.load(bj), c1 = v128.load(bj, 16), c2 = v128.load(bj, 32), c3 = v128.load(bj, 48);
      const wj = w + <usize>j * 4;
      for (let t = 0; t < nnz; t++) {
        const i = load<i32>(idx + <usize>t * 4);
        const s = f32x4.splat(load<f32>(ar + <usize>i * 4));
        const wp = wj + <usize>i * rowBytes;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(wp)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(wp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(wp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(wp, 48)));
      }
      if (relu) { c0 = f32x4.max(c0, zero); c1 = f32x4.max(c1, zero); c2 = f32x4.max(c2, zero); c3 = f32x4.max(c3, zero); }
      const zj = zr + <usize>j * 4;
      v128.store(zj, c0); v128.store(zj, c1, 16); v128.store(zj, c2, 32); v128.store(zj, c3, 48);
    }
    for (; j < m4; j += 4) {
      let c0 = v128.load(b + <usize>j * 4);
      const wj = w + <usize>j * 4;
      for (let t = 0; t < nnz; t++) {
        const i = load<i32>(idx + <usize>t * 4);
        c0 = f32x4.add(c0, f32x4.mul(f32x4.splat(load<f32>(ar + <usize>i * 4)), v128.load(wj + <usize>i * rowBytes)));
      }
      if (relu) c0 = f32x4.max(c0, zero);
      v128.store(zr + <usize>j * 4, c0);
    }
    for (; j < m; j++) {
      let c: f32 = load<f32>(b + <usize>j * 4);
      for (let t = 0; t < nnz; t++) {
        const i = load<i32>(idx + <usize>t * 4);
        c += load<f32>(ar + <usize>i * 4) * load<f32>(w + <usize>(i * m + j) * 4);
      }
      if (relu && c < 0) c = 0;
      store<f32>(zr + <usize>j * 4, c);
    }
  }
}

// Dropout after ReLU: back = keep where z > 0 else 0; z *= keep.
export function dropout(z: usize, keep: usize, back: usize, size: i32): void {
  for (let i = 0; i < size; i++) {
    const p = <usize>i * 4;
    const v = load<f32>(z + p), q = load<f32>(keep + p);
    store<f32>(back + p, v > 0 ? q : 0);
    store<f32>(z + p, v * q);
  }
}

// dw[k×m] = a'·g, db[m] = column sums of g (a: n×k, g: n×m). idx: scratch of n i32s, the rows
// where a's column is nonzero.
export function gradWeights(a: usize, g: usize, dw: usize, db: usize, n: i32, k: i32, m: i32, idx: usize): void {
  const m16 = m & ~15;
  const rowBytes = <usize>m * 4;
  for (let i = 0; i < k; i++) {
    const dwi = dw + <usize>(i * m) * 4;
    let nnz = 0;
    for (let r = 0; r < n; r++) {
      store<i32>(idx + <usize>nnz * 4, r);
      nnz += i32(load<f32>(a + <usize>(r * k + i) * 4) != 0);
    }
    let j = 0;
    for (; j < m16; j += 16) {
      let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0;
      const gj = g + <usize>j * 4;
      for (let t = 0; t < nnz; t++) {
        const r = load<i32>(idx + <usize>t * 4);
        const s = f32x4.splat(load<f32>(a + <usize>(r * k + i) * 4));
        const gp = gj + <usize>r * rowBytes;
        c0 = f32x4.add(c0, f32x4.mul(s, v128.load(gp)));
        c1 = f32x4.add(c1, f32x4.mul(s, v128.load(gp, 16)));
        c2 = f32x4.add(c2, f32x4.mul(s, v128.load(gp, 32)));
        c3 = f32x4.add(c3, f32x4.mul(s, v128.load(gp, 48)));
      }
      const d = dwi + <usize>j * 4;
      v128.store(d, c0); v128.store(d, c1, 16); v128.store(d, c2, 32); v128.store(d, c3, 48);
    }
    for (; j < m; j++) {
      let c: f32 = 0;
      for (let t = 0; t < nnz; t++) {
        const r = load<i32>(idx + <usize>t * 4);
        c += load<f32>(a + <usize>(r * k + i) * 4) * load<f32>(g + <usize>(r * m + j) * 4);
      }
      store<f32>(dwi + <usize>j * 4, c);
    }
  }
  for (let j = 0; j < m; j++) {
    let c: f32 = 0;
    for (let r = 0; r < n; r++) c += load<f32>(g + <usize>(r * m + j) * 4);
    store<f32>(db + <usize>j * 4, c);
  }
}

// gp[n×k] = (g[n×m]·w[k×m]') ∘ back[n×k]. idx: scratch of k i32s; only the entries where back
// is nonzero get their dot product (four running sums, so the adds do not wait on each other).
export function gradInputs(g: usize, w: usize, back: usize, gp: usize, n: i32, k: i32, m: i32, idx: usize): void {
  const m16 = m & ~15, m4 = m & ~3;
  for (let r = 0; r < n; r++) {
    const gr = g + <usize>(r * m) * 4, br = back + <usize>(r * k) * 4, pr = gp + <usize>(r * k) * 4;
    let nnz = 0;
    for (let i = 0; i < k; i++) {
      store<i32>(idx + <usize>nnz * 4, i);
      nnz += i32(load<f32>(br + <usize>i * 4) != 0);
      store<f32>(pr + <usize>i * 4, 0);
    }
    for (let t = 0; t < nnz; t++) {
      const i = load<i32>(idx + <usize>t * 4);
      const wi = w + <usize>(i * m) * 4;
      let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0;
      let j = 0;
      for (; j < m16; j += 16) {
        const gq = gr + <usize>j * 4, wq = wi + <usize>j * 4;
        c0 = f32x4.add(c0, f32x4.mul(v128.load(gq), v128.load(wq)));
        c1 = f32x4.add(c1, f32x4.mul(v128.load(gq, 16), v128.load(wq, 16)));
        c2 = f32x4.add(c2, f32x4.mul(v128.load(gq, 32), v128.load(wq, 32)));
        c3 = f32x4.add(c3, f32x4.mul(v128.load(gq, 48), v128.load(wq, 48)));
      }
      for (; j < m4; j += 4) c0 = f32x4.add(c0, f32x4.mul(v128.load(gr + <usize>j * 4), v128.load(wi + <usize>j * 4)));
      const c = f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3));
      let s: f32 = f32x4.extract_lane(c, 0) + f32x4.extract_lane(c, 1) + f32x4.extract_lane(c, 2) + f32x4.extract_lane(c, 3);
      for (; j < m; j++) s += load<f32>(gr + <usize>j * 4) * load<f32>(wi + <usize>j * 4);
      store<f32>(pr + <usize>i * 4, s * load<f32>(br + <usize>i * 4));
    }
  }
}

// Adam over `size` floats (a multiple of 4, the arrays padded): m, v the moments; c1, c2 the bias corrections.
export function adam(w: usize, g: usize, mo: usize, v: usize, size: i32, lr: f32, c1: f32, c2: f32, b1: f32, b2: f32, eps: f32): void {
  const B1 = f32x4.splat(b1), B1c = f32x4.splat(1 - b1), B2 = f32x4.splat(b2), B2c = f32x4.splat(1 - b2);
  const LR = f32x4.splat(lr), C1 = f32x4.splat(c1), C2 = f32x4.splat(c2), EPS = f32x4.splat(eps);
  for (let j = 0; j < size; j += 4) {
    const p = <usize>j * 4;
    const gj = v128.load(g + p);
    const mj = f32x4.add(f32x4.mul(B1, v128.load(mo + p)), f32x4.mul(B1c, gj));
    const vj = f32x4.add(f32x4.mul(B2, v128.load(v + p)), f32x4.mul(f32x4.mul(B2c, gj), gj));
    v128.store(mo + p, mj);
    v128.store(v + p, vj);
    v128.store(w + p, f32x4.sub(v128.load(w + p), f32x4.div(f32x4.mul(LR, f32x4.div(mj, C1)), f32x4.add(f32x4.sqrt(f32x4.div(vj, C2)), EPS))));
  }
}
