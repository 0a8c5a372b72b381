// Grows one decision tree on binned features: depth first, best split per node over a random
// subset of features by weighted Gini (classification) or squared error (regression), found from
// per-bin histograms. Bootstrap counts are the sample weights, as in scikit-learn.
import { rng } from '../../random';

export interface TreeParams {
  maxDepth: number | null;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** Features tried per split. */
  mtry: number;
}

export interface GrowInput {
  n: number;
  d: number;
  codes: Uint8Array;
  /** Highest bin index + 1 per feature. */
  nBins: Int32Array;
  lo: Float64Array[];
  hi: Float64Array[];
  /** classification: class index per row; regression: undefined. */
  yClass?: Int32Array;
  yValue?: Float64Array;
  nClasses: number;
}

/** A tree as flat arrays; leaves have left = -1 and their value(s) at valueIndex. */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** classification: k class fractions per node; regression: 1 mean per node. */
  value: Float64Array;
  /** Weighted impurity decrease per feature, normalised to sum 1 (all zeros for a stump). */
  importances: Float64Array;
}

/** Bootstrap counts for tree `seed`: n draws with replacement (also used again for out-of-bag). */
export function bootstrapCounts(n: number, seed: number): Uint16Array {
  const rand = rng(seed);
  const counts = new Uint16Array(n);
  for (let i = 0; i < n; i++) counts[Math.floor(rand() * n)]++;
  return counts;
}

export function growTree(input: GrowInput, params: TreeParams, weights: Uint16Array | null, seed: number): Tree {
  const { n, d, codes, nBins, lo, hi, yClass, yValue, nClasses } = input;
  const classify = yClass !== undefined;
  const k = classify ? nClasses : 1;
  const rand = rng(seed ^ 0x5bd1e995);
  // Rows in the tree (weight > 0), partitioned in place as nodes split.
  let idx: Int32Array;
  if (weights) {
    let m = 0;
    for (let i = 0; i < n; i++) if (weights[i] > 0) m++;
    idx = new Int32Array(m);
    for (let i = 0, o = 0; i < n; i++) if (weights[i] > 0) idx[o++] = i;
  } else idx = Int32Array.from({ length: n }, (_, i) => i);
  const wts: Uint16Array = weights ?? new Uint16Array(n).fill(1);

  const maxBins = Math.max(...nBins);
  // Per (feature in batch, bin), one slot of W numbers: [rows, weight of each class] (integers:
  // bootstrap counts are whole), or [rows, weight, sum of weight × y].
  const W = classify ? k + 1 : 3;
  const histC = new Int32Array(classify ? params.mtry * maxBins * W : 0);
  const histV = new Float64Array(classify ? 0 : params.mtry * maxBins * W);
  const touched = new Int32Array(params.mtry * maxBins);
  const nTouched = new Int32Array(params.mtry);
  const batchFeatures = new Int32Array(params.mtry);
  const leftStats = new Float64Array(k), nodeStats = new Float64Array(k);
  const candidates = new Int32Array(d);
  // Targets and weights in the order of idx (permuted with it), so the hot loops read them in sequence.
  const m = idx.length;
  const wP = Uint16Array.from(idx, (i) => wts[i]);
  const yP = classify ? Int32Array.from(idx, (i) => yClass![i]) : new Int32Array(0);
  const vP = classify ? new Float64Array(0) : Float64Array.from(idx, (i) => yValue![i]);
  const rightRows = new Int32Array(m); // for the stable partition
  const rightW = new Uint16Array(m);
  const rightY = new Int32Array(classify ? m : 0);
  const rightV = new Float64Array(classify ? 0 : m);

  // Node arrays: a binary tree over m rows has at most 2m - 1 nodes, so they never grow; they
  // come from a scratch reused tree after tree (fresh memory is slow to touch), and the finished
  // tree is copied out at its exact size.
  const { feature, threshold, left, right, value } = scratchNodes(Math.max(1, 2 * idx.length - 1), k);
  let count = 0;
  const importances = new Float64Array(d);
  const newNode = (): number => {
    left[count] = right[count] = feature[count] = -1; // a leaf until it splits
    threshold[count] = 0;
    return count++;
  };

  // Each node carries the features known to be constant in it (found constant in an ancestor),
  // which are never scanned again, as scikit-learn's splitter does.
  const stack: [node: number, start: number, end: number, depth: number, constant: Uint8Array][] = [[newNode(), 0, idx.length, 0, new Uint8Array(d)]];
  while (stack.length) {
    const [node, start, end, depth, known] = stack.pop()!;
    // Node statistics.
    nodeStats.fill(0);
    let wt = 0, sumsq = 0;
    for (let r = start; r < end; r++) {
      const wi = wP[r];
      wt += wi;
      if (classify) nodeStats[yP[r]] += wi;
      else {
        nodeStats[0] += wi * vP[r];
        sumsq += wi * vP[r] * vP[r];
      }
    }
    if (classify) for (let c = 0; c < k; c++) value[node * k + c] = nodeStats[c] / wt;
    else value[node] = nodeStats[0] / wt;
    let impurity: number;
    if (classify) {
      let s = 0;
      for (let c = 0; c < k; c++) s += nodeStats[c] * nodeStats[c];
      impurity = 1 - s / (wt * wt);
    } else impurity = Math.max(0, sumsq / wt - (nodeStats[0] / wt) ** 2);
    const rows = end - start;
    const pure = classify ? impurity <= 1e-12 : impurity <= 1e-12 * Math.max(1, (nodeStats[0] / wt) ** 2);
    if ((params.maxDepth !== null && depth >= params.maxDepth) || rows < params.minSamplesSplit || rows < 2 * params.minSamplesLeaf || pure) continue;

    // Best split over random features, drawn without replacement until mtry of them could split
    // (constant ones do not count). Features are drawn in batches; each batch's histograms are
    // built in one pass over the node's rows. The draws and their order are those of drawing one
    // at a time, so the result is the same.
    let bestScore = -Infinity, bestFeature = -1, bestBin = -1, bestNext = -1;
    let tried = 0, drawn = 0, nCand = 0;
    for (let f = 0; f < d; f++) if (!known[f]) candidates[nCand++] = f;
    const constant = known.slice();
    while (tried < params.mtry && drawn < nCand) {
      const batch = Math.min(params.mtry - tried, nCand - drawn);
      for (let t = drawn; t < drawn + batch; t++) {
        const j = t + Math.floor(rand() * (nCand - t));
        const f = candidates[j];
        candidates[j] = candidates[t];
        candidates[t] = f;
      }
      for (let q = 0; q < batch; q++) batchFeatures[q] = candidates[drawn + q];
      if (classify) histogramsClass(idx, start, end, codes, n, batchFeatures, batch, maxBins, wP, yP, W, touched, nTouched, histC);
      else histogramsValue(idx, start, end, codes, n, batchFeatures, batch, maxBins, wP, vP, touched, nTouched, histV);
      for (let q = 0; q < batch; q++) {
        const f = candidates[drawn + q];
        const nt = nTouched[q];
        // This feature's touched bins (absolute: batch slot × maxBins + bin), in bin order.
        const bins = touched.subarray(q * maxBins, q * maxBins + nt);
        if (nt > 1) bins.sort();
        if (nt <= 1) { // constant here and below: does not count towards mtry
          constant[f] = 1;
        } else {
          tried++;
          // Sweep left to right; the score to maximise is the weighted "purity" of the two sides.
          leftStats.fill(0);
          let wl = 0, nl = 0, sqL = 0, sqR = 0, sl = 0;
          if (classify) for (let c = 0; c < k; c++) sqR += nodeStats[c] * nodeStats[c];
          for (let t = 0; t < nt - 1; t++) {
            const ob = bins[t];
            const hb = ob * W;
            if (classify) {
              nl += histC[hb];
              for (let c = 0; c < k; c++) {
                const h = histC[hb + 1 + c];
                if (h === 0) continue;
                const L = leftStats[c], R = nodeStats[c] - L;
                sqL += 2 * L * h + h * h;
                sqR += -2 * R * h + h * h;
                leftStats[c] = L + h;
                wl += h;
              }
            } else {
              nl += histV[hb];
              wl += histV[hb + 1];
              sl += histV[hb + 2];
            }
            const nr = rows - nl;
            if (nl < params.minSamplesLeaf) continue;
            if (nr < params.minSamplesLeaf) break;
            const wr = wt - wl;
            const score = classify ? sqL / wl + sqR / wr : (sl * sl) / wl + ((nodeStats[0] - sl) ** 2) / wr;
            if (score > bestScore + 1e-12 * Math.abs(score)) {
              const o = q * maxBins;
              bestScore = score;
              bestFeature = f;
              bestBin = ob - o;
              bestNext = bins[t + 1] - o;
            }
          }
        }
        // Leave the histograms zeroed for the next batch or node, touching only what was used.
        for (let t = 0; t < nt; t++) (classify ? histC : histV).fill(0, bins[t] * W, bins[t] * W + W);
      }
      drawn += batch;
    }
    if (bestFeature < 0) continue;

    // Stable partition (bin <= bestBin left), moving each row's target and weight with it: rows
    // stay in ascending order within every node, and the per-row arrays are read front to back.
    let a = start, nr = 0;
    const fo = bestFeature * n;
    for (let r = start; r < end; r++) {
      const i = idx[r];
      if (codes[fo + i] <= bestBin) {
        idx[a] = i;
        wP[a] = wP[r];
        if (classify) yP[a] = yP[r];
        else vP[a] = vP[r];
        a++;
      } else {
        rightRows[nr] = i;
        rightW[nr] = wP[r];
        if (classify) rightY[nr] = yP[r];
        else rightV[nr] = vP[r];
        nr++;
      }
    }
    idx.set(rightRows.subarray(0, nr), a);
    wP.set(rightW.subarray(0, nr), a);
    if (classify) yP.set(rightY.subarray(0, nr), a);
    else vP.set(rightV.subarray(0, nr), a);
    const l = newNode(), r = newNode();
    feature[node] = bestFeature;
    threshold[node] = (hi[bestFeature][bestBin] + lo[bestFeature][bestNext]) / 2;
    left[node] = l;
    right[node] = r;
    // Weighted impurity decrease, for the importances: the children's weighted impurity is
    // wt - score (Gini) or sumsq - score (squared error).
    const childImpurity = classify ? wt - bestScore : sumsq - bestScore;
    importances[bestFeature] += wt * impurity - childImpurity;
    stack.push([r, a, end, depth + 1, constant], [l, start, a, depth + 1, constant]);
  }
  let total = 0;
  for (const v of importances) total += v;
  if (total > 0) for (let f = 0; f < d; f++) importances[f] /= total;
  return {
    feature: feature.slice(0, count), threshold: threshold.slice(0, count), left: left.slice(0, count), right: right.slice(0, count),
    value: value.slice(0, count * k), importances,
  };
}

// The hot loops: the histograms of a batch of features over a node's rows. Codes are stored by
// feature (column-major), so one feature's codes (n bytes) stay in cache while its rows are
// gathered. Each feature's bins that receive rows are listed as they are first touched, so that
// small nodes (most of a deep tree) cost in proportion to their rows, not to a feature's 256 bins.
// Small monomorphic functions, so that V8 optimises them fully.
function histogramsClass(
  idx: Int32Array, start: number, end: number, codes: Uint8Array, n: number, feats: Int32Array, batch: number, maxBins: number,
  w: Uint16Array, y: Int32Array, W: number, touched: Int32Array, nTouched: Int32Array, hist: Int32Array,
): void {
  for (let q = 0, o = 0; q < batch; q++, o += maxBins) {
    const fo = feats[q] * n;
    let nt = 0;
    for (let r = start; r < end; r++) {
      const b = codes[fo + idx[r]] + o;
      const base = b * W;
      if (hist[base]++ === 0) touched[o + nt++] = b;
      hist[base + 1 + y[r]] += w[r];
    }
    nTouched[q] = nt;
  }
}

function histogramsValue(
  idx: Int32Array, start: number, end: number, codes: Uint8Array, n: number, feats: Int32Array, batch: number, maxBins: number,
  w: Uint16Array, y: Float64Array, touched: Int32Array, nTouched: Int32Array, hist: Float64Array,
): void {
  for (let q = 0, o = 0; q < batch; q++, o += maxBins) {
    const fo = feats[q] * n;
    let nt = 0;
    for (let r = start; r < end; r++) {
      const b = codes[fo + idx[r]] + o;
      const base = b * 3;
      if (hist[base]++ === 0) touched[o + nt++] = b;
      const wi = w[r];
      hist[base + 1] += wi;
      hist[base + 2] += wi * y[r];
    }
    nTouched[q] = nt;
  }
}

let scratch: { cap: number; k: number; feature: Int32Array; threshold: Float64Array; left: Int32Array; right: Int32Array; value: Float64Array } | undefined;

function scratchNodes(cap: number, k: number) {
  if (!scratch || scratch.cap < cap || scratch.k !== k) {
    scratch = { cap, k, feature: new Int32Array(cap), threshold: new Float64Array(cap), left: new Int32Array(cap), right: new Int32Array(cap), value: new Float64Array(cap * k) };
  }
  return scratch;
}

/** The leaf a row of raw features lands in. */
export function leafOf(tree: Tree, x: Float64Array, offset: number): number {
  let node = 0;
  while (tree.left[node] >= 0) node = x[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}
