// Grows one decision tree on binned features: depth first, best split per node over a random
// subset of features by weighted Gini (classification) or squared error (regression), found from
// per-bin histograms. Bootstrap counts are the sample weights, as in scikit-learn.
import { Mulberry32 } from '../../random';
import type { Matrix } from '../../matrix';
import { binFeatures, CodeLayout, OneHotGroups } from './binning';
import { treeArrays } from './kernels';

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
  /** Bins of every row, packed as `layout` says (see binning.ts). */
  codes: Uint8Array;
  layout: CodeLayout;
  /** Highest bin index + 1 per feature. */
  nBins: Int32Array;
  /** One-hot groups, whose bytes in `codes` give their members' histograms in one pass (classification). */
  groups?: OneHotGroups;
  lo: Float64Array[];
  hi: Float64Array[];
  /** classification: class index per row; regression: undefined. */
  yClass?: Int32Array;
  yValue?: Float64Array;
  nClasses: number;
  /** Histograms over all k classes in every node, not the node's own (tests compare the two). */
  allClasses?: boolean;
}

/** A tree as flat arrays; leaves have left = -1. */
export interface Tree {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /**
   * Regression: each node's mean. Classification: the k class fractions of each leaf that holds
   * more than one class, in node order (see leafClass).
   */
  value: Float64Array;
  /**
   * Classification only, per node: a leaf's class when it holds that class alone (its fractions
   * 1 there and 0 elsewhere), else -1 - its row of `value`; inner nodes' entries are never read.
   * A fully grown forest's leaves are almost all pure, and k fractions per node made a tree 1 MB
   * on letter_recognition (26 classes): copying it out of the grower's scratch, to the main
   * thread and into its heap cost more than a tenth of a fit, and a second fit half again while
   * the first's trees were collected.
   */
  leafClass?: Int32Array;
  /** Weighted impurity decrease per feature, normalised to sum 1 (all zeros for a stump). */
  importances: Float64Array;
}

/** Bootstrap counts for tree `seed`: n draws with replacement (also used again for out-of-bag). */
export function bootstrapCounts(n: number, seed: number): Uint16Array {
  const rand = new Mulberry32(seed);
  const counts = new Uint16Array(n);
  for (let i = 0; i < n; i++) counts[Math.floor(rand.next() * n)]++;
  return counts;
}

/** A fit's features binned for its trees (in shared memory for worker threads if `shared`), all but the target. */
export function binnedInput(X: Matrix, shared: boolean, classify: boolean): Omit<GrowInput, 'yClass' | 'yValue' | 'nClasses'> {
  const { bins, codes, layout, groups } = binFeatures(X, shared, classify);
  return { n: X.rows, d: X.cols, codes, layout, groups, nBins: Int32Array.from(bins.hi, (h) => h.length), lo: bins.lo, hi: bins.hi };
}

/** What growing a forest's trees needs besides each tree's seed. */
export interface ForestJob {
  input: GrowInput;
  params: TreeParams;
  bootstrap: boolean;
}

/** Tree `seed` of a forest: on its bootstrap sample if the forest bootstraps. */
export function growSeededTree(job: ForestJob, seed: number): Tree {
  return growTree(job.input, job.params, job.bootstrap ? bootstrapCounts(job.input.n, seed) : null, seed);
}

/** The fewest features drawn per histogram pass. */
const MIN_BATCH = 4;

export function growTree(input: GrowInput, params: TreeParams, weights: Uint16Array | null, seed: number): Tree {
  const { n, d, codes, layout, nBins, lo, hi, yClass, yValue, nClasses } = input;
  const { stride, byte, shift, mask } = layout;
  const classify = yClass !== undefined;
  const k = classify ? nClasses : 1;
  const rand = new Mulberry32(seed ^ 0x5bd1e995);
  // Rows in the tree: those of weight > 0 (without branches, as the partition below: a third of
  // the rows are out of bag, at random).
  let m = n;
  if (weights) {
    m = 0;
    for (let i = 0; i < n; i++) m += -weights[i] >>> 31;
  }
  const groups = classify ? input.groups : undefined;
  const groupOf = groups?.group, memberOf = groups?.member, groupSize = groups?.size;
  const maxBins = Math.max(...nBins, ...(groupSize ?? []).map((m) => m + 1));
  // Per (feature in batch, bin): class weights, or [w, sum wy]; and unweighted rows. A batch's
  // features lie end to end at offsets `slot`, each as wide as its own bins: with mostly one-hot
  // features (2 bins) beside a few with 256, clearing maxBins per feature cost more than the rows.
  // A pass reads the columns `passes` into `passSlot`: the batch's features, except that members
  // of a one-hot group are read once, as their group's byte, into slots after the features'.
  // They and the other arrays the row loops touch live in the kernels' memory (see kernels.ts).
  // A one-hot group's byte is histogrammed once per node, into its own slots after the batches'
  // (`groupSlot`), and its members drawn in later batches read it from there: deep nodes draw
  // batch after batch of members constant there (mpls_stops: 87 of its 120 columns are one
  // category's), and each batch had passed over the same byte again.
  const batchMax = Math.max(params.mtry, MIN_BATCH);
  const nGroups = groupSize?.length ?? 0;
  const groupSlot = new Int32Array(nGroups), groupNode = new Int32Array(nGroups).fill(-1);
  let slots = 2 * batchMax * maxBins;
  for (let g = 0; g < nGroups; g++) {
    groupSlot[g] = slots;
    slots += groupSize![g] + 1;
  }
  const arrays = treeArrays(codes, layout, yClass, weights, { n, m, slots, width: classify ? k : 2, batch: batchMax, maxBins, k });
  const { kernels, hist, binRows, passes, passSlot, passBins, dHist, dRows, dBits, wts } = arrays;
  // Rows in the tree, partitioned in place as nodes split.
  const idx = arrays.idx;
  if (weights) {
    for (let i = 0, o = 0; o < m; i++) {
      idx[o] = i;
      o += -weights[i] >>> 31;
    }
  } else for (let i = 0; i < n; i++) idx[i] = i;
  const slot = new Int32Array(batchMax);
  // Per place in a batch: whether the feature is histogrammed on its own, over only the bins the
  // node's rows hold (`dHist`, `dRows`, found again from the bitmap `dBits`), and not in the
  // batch's pass. A classification node's feature with more bins than the node has rows goes so:
  // deep nodes of mpls_stops hold a few rows, and its two coordinates 256 bins each, which the
  // batch's histogram cleared and scanned to find the few that held rows (100 trees on one
  // thread: 5-6% faster, the same trees).
  const direct = new Uint8Array(batchMax);
  const leftStats = new Float64Array(k), nodeStats = new Float64Array(k), bestLeft = new Float64Array(k);
  // A node's classes, renumbered: deep nodes hold two or three of letter_recognition's 26, and
  // clearing and sweeping k classes per bin for each feature tried is paid per node. Histograms
  // over the node's own classes (`present`, ascending, so every sum adds the same terms in the
  // same order and the splits are the same) took 100 trees on one thread from 0.82 to 0.75 s
  // (warm fits, medians of three alternating runs). `localY` holds the node's rows' renumbered class.
  const present = new Int32Array(k), localOf = new Int32Array(k), nodeLocal = new Float64Array(k);
  const localY = arrays.localY;
  const allClasses = input.allClasses === true;
  const candidates = new Int32Array(d);

  // Node arrays: a binary tree over m rows has at most 2m - 1 nodes, so they never grow; they
  // come from a scratch reused tree after tree (fresh memory is slow to touch), and the finished
  // tree is copied out at its exact size.
  const { feature, threshold, left, right, value, classWeights } = scratchNodes(Math.max(1, 2 * idx.length - 1), k);
  // Nodes are leaves until they split. (Not made by a closure: each tree's own was a new call
  // target for the optimised code, which V8 threw away and compiled again; see warmUp.)
  left[0] = right[0] = feature[0] = -1;
  threshold[0] = 0;
  let count = 1;
  const importances = new Float64Array(d);

  // Features known to be constant in a node (found constant in an ancestor) are never scanned
  // again, as scikit-learn's splitter does. The features still worth drawing at depth t are
  // lists[t * d ..] (listLength[t] of them, ascending): written by the node's parent, and until
  // the node is taken off the stack only nodes deeper than t run, which write deeper lists (a
  // list per node cost an allocation per node). Deep nodes of one-hot data keep a few of many.
  let lists = new Int32Array(16 * d), listLength = new Int32Array(16);
  for (let f = 0; f < d; f++) lists[f] = f;
  listLength[0] = d;
  const constantHere = new Uint8Array(d);
  // Nodes to grow, four numbers each (node, start, end, depth): a depth-first stack holds at
  // most one pending sibling per level, plus the node on top.
  let stack = new Int32Array(4 * 64), top = 4;
  stack[2] = idx.length; // the root: node 0, rows 0 .. idx.length, depth 0
  while (top > 0) {
    top -= 4;
    const node = stack[top], start = stack[top + 1], end = stack[top + 2], depth = stack[top + 3];
    const known = depth * d;
    // Node statistics: a classification node below the root has its class weights from its
    // parent's split; otherwise one pass over its rows.
    for (let c = 0; c < k; c++) nodeStats[c] = 0;
    let wt = 0, sumsq = 0;
    if (classify && node > 0) {
      for (let c = 0; c < k; c++) wt += nodeStats[c] = classWeights[node * k + c];
    } else for (let r = start; r < end; r++) {
      const i = idx[r], wi = wts[i];
      wt += wi;
      if (classify) nodeStats[yClass![i]] += wi;
      else {
        nodeStats[0] += wi * yValue![i];
        sumsq += wi * yValue![i] * yValue![i];
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
    let kk = k, lyAt = arrays.yClassAt;
    if (classify) {
      kk = 0;
      for (let c = 0; c < k; c++) if (nodeStats[c] > 0 || allClasses) {
        localOf[c] = kk;
        nodeLocal[kk] = nodeStats[c];
        present[kk++] = c;
      }
      if (kk < k) {
        for (let r = start; r < end; r++) localY[idx[r]] = localOf[yClass![idx[r]]];
        lyAt = arrays.localYAt;
      }
    }

    // Best split over random features, drawn without replacement until mtry of them could split
    // (constant ones do not count). Features are drawn in batches, each batch's histograms built
    // in one pass over the node's rows, and considered in the order drawn. A batch holds at least
    // MIN_BATCH features (passes over one feature at a time ran at half speed); those drawn after
    // the mtry-th that could split are not considered, as if never drawn.
    let bestScore = -Infinity, bestFeature = -1, bestBin = -1, bestNext = -1;
    let tried = 0, drawn = 0, foundConstant = 0;
    const nCand = listLength[depth];
    for (let t = 0; t < nCand; t++) candidates[t] = lists[known + t];
    const width = classify ? kk : 2;
    // Rows per bin are needed for regression's histograms, for minSamplesLeaf above 1, and (as
    // emptiness is then slower to tell) for nodes of more than two classes. Else a bin holds rows
    // exactly when it holds class weight (each row in the tree weighs at least 1), and the batch
    // pass adds the two class weights alone: one read-modify-write per row and feature instead of two.
    const counts = !classify || kk > 2 || params.minSamplesLeaf > 1;
    while (tried < params.mtry && drawn < nCand) {
      const batch = Math.min(Math.max(params.mtry - tried, MIN_BATCH), nCand - drawn);
      for (let t = drawn; t < drawn + batch; t++) {
        const j = t + Math.floor(rand.next() * (nCand - t));
        const f = candidates[j];
        candidates[j] = candidates[t];
        candidates[t] = f;
      }
      let used = 0, nPasses = 0;
      for (let q = 0; q < batch; q++) {
        const f = candidates[drawn + q];
        direct[q] = classify && nBins[f] > rows ? 1 : 0;
        if (direct[q] || (groupOf && groupOf[f] >= 0)) continue; // a member reads its group's slots
        slot[q] = used;
        used += nBins[f];
        passes[nPasses] = f;
        passBins[nPasses] = nBins[f];
        passSlot[nPasses++] = slot[q];
      }
      if (groupOf) for (let q = 0; q < batch; q++) {
        const g = groupOf[candidates[drawn + q]];
        if (g < 0 || direct[q] || groupNode[g] === node) continue;
        groupNode[g] = node;
        passes[nPasses] = d + g;
        passBins[nPasses] = groupSize![g] + 1;
        passSlot[nPasses++] = groupSlot[g];
      }
      // The hot loop: one pass over the node's rows for the whole batch (its slots cleared first).
      if (classify) {
        if (nPasses > 0) kernels.classHistograms(lyAt, start, end, arrays.passesAt, arrays.passSlotAt, arrays.passBinsAt, nPasses, kk, counts ? 1 : 0);
      } else {
        hist.fill(0, 0, used * width);
        binRows.fill(0, 0, used);
        for (let r = start; r < end; r++) {
          const i = idx[r];
          const row = i * stride;
          const wi = wts[i], wy = wi * yValue![i];
          for (let q = 0; q < batch; q++) {
            const f = candidates[drawn + q];
            const b = ((codes[row + byte[f]] >> shift[f]) & mask[f]) + slot[q];
            binRows[b]++;
            hist[2 * b] += wi;
            hist[2 * b + 1] += wy;
          }
        }
      }
      for (let q = 0; q < batch; q++) {
        const f = candidates[drawn + q];
        const g = groupOf ? groupOf[f] : -1;
        if (g >= 0) {
          // A one-hot member: its rows with a 1 (bin 1) are its group's rows with its code, the
          // others (bin 0) the rest of the node's (integer weights: the subtraction is exact). The
          // sweep below, for two bins: one step, at bin 0, with the same sums. Written out, not
          // copied into slots of its own to be swept: 95% of mpls_stops' draws are members, and
          // the copying and the general sweep's scans cost more than their group's pass.
          const from = groupSlot[g] + memberOf![f];
          const constant = counts
            ? binRows[from] === 0 || rows - binRows[from] === 0
            : hist[2 * from] + hist[2 * from + 1] === 0 || (nodeLocal[0] - hist[2 * from]) + (nodeLocal[1] - hist[2 * from + 1]) === 0;
          if (constant) {
            constantHere[f] = 1;
            foundConstant++;
            continue;
          }
          if (tried === params.mtry) continue;
          tried++;
          let wl = 0, sqL = 0, sqR = 0;
          for (let c = 0; c < kk; c++) sqR += nodeLocal[c] * nodeLocal[c];
          for (let c = 0; c < kk; c++) {
            const h = nodeLocal[c] - hist[from * kk + c];
            leftStats[c] = h;
            if (h === 0) continue;
            sqL += h * h; // 2 L h + h h, L being 0
            sqR += -2 * nodeLocal[c] * h + h * h;
            wl += h;
          }
          if (counts) {
            const nl = rows - binRows[from];
            if (nl < params.minSamplesLeaf || rows - nl < params.minSamplesLeaf) continue;
          }
          const score = sqL / wl + sqR / (wt - wl);
          if (score > bestScore + 1e-12 * Math.abs(score)) {
            bestScore = score;
            bestFeature = f;
            bestBin = 0;
            bestNext = 1;
            for (let c = 0; c < kk; c++) bestLeft[c] = leftStats[c];
          }
          continue;
        }
        if (direct[q]) {
          // This feature's histogram over the bins its rows hold, found again in ascending order
          // from a bitmap of them: no bins cleared or scanned that hold none of the node's rows.
          kernels.directHistogram(lyAt, start, end, f, kk, arrays.dHistAt, arrays.dRowsAt, arrays.dBitsAt);
          const words = (nBins[f] + 31) >> 5;
          let w0 = 0, w1 = words - 1;
          while (dBits[w0] === 0) w0++;
          while (dBits[w1] === 0) w1--;
          const firstBin = (w0 << 5) + 31 - Math.clz32(dBits[w0] & -dBits[w0]), lastBin = (w1 << 5) + 31 - Math.clz32(dBits[w1]);
          if (firstBin === lastBin || tried === params.mtry) {
            if (firstBin === lastBin) {
              constantHere[f] = 1;
              foundConstant++;
            }
            for (let w = w0; w <= w1; w++) {
              for (let bits = dBits[w]; bits !== 0; bits &= bits - 1) {
                const b = (w << 5) + 31 - Math.clz32(bits & -bits);
                dRows[b] = 0;
                for (let c = 0; c < kk; c++) dHist[b * kk + c] = 0;
              }
              dBits[w] = 0;
            }
            continue;
          }
          tried++;
          // The sweep below, over the bins that hold rows, with the same sums; clearing as it goes.
          for (let c = 0; c < kk; c++) leftStats[c] = 0;
          let wl = 0, nl = 0, sqL = 0, sqR = 0, stop = false, pending = false;
          for (let c = 0; c < kk; c++) sqR += nodeLocal[c] * nodeLocal[c];
          for (let w = w0; w <= w1; w++) {
            for (let bits = dBits[w]; bits !== 0; bits &= bits - 1) {
              const b = (w << 5) + 31 - Math.clz32(bits & -bits);
              const hb = b * kk;
              if (pending) {
                bestNext = b;
                pending = false;
              }
              if (stop || b === lastBin) {
                dRows[b] = 0;
                for (let c = 0; c < kk; c++) dHist[hb + c] = 0;
                continue;
              }
              nl += dRows[b];
              dRows[b] = 0;
              for (let c = 0; c < kk; c++) {
                const h = dHist[hb + c];
                if (h === 0) continue;
                dHist[hb + c] = 0;
                const L = leftStats[c], R = nodeLocal[c] - L;
                sqL += 2 * L * h + h * h;
                sqR += -2 * R * h + h * h;
                leftStats[c] = L + h;
                wl += h;
              }
              const nr = rows - nl;
              if (nl < params.minSamplesLeaf) continue;
              if (nr < params.minSamplesLeaf) {
                stop = true;
                continue;
              }
              const score = sqL / wl + sqR / (wt - wl);
              if (score > bestScore + 1e-12 * Math.abs(score)) {
                bestScore = score;
                bestFeature = f;
                bestBin = b;
                pending = true; // bestNext: the next bin that holds rows
                for (let c = 0; c < kk; c++) bestLeft[c] = leftStats[c];
              }
            }
            dBits[w] = 0;
          }
          continue;
        }
        const nb = nBins[f];
        const o = slot[q]; // this feature's bins in binRows; hist at o * width
        let firstBin = 0, lastBin = nb - 1;
        if (counts) {
          while (binRows[o + firstBin] === 0) firstBin++;
          while (binRows[o + lastBin] === 0) lastBin--;
        } else {
          while (hist[2 * (o + firstBin)] + hist[2 * (o + firstBin) + 1] === 0) firstBin++;
          while (hist[2 * (o + lastBin)] + hist[2 * (o + lastBin) + 1] === 0) lastBin--;
        }
        if (firstBin === lastBin) { // constant here and below: does not count towards mtry
          constantHere[f] = 1;
          foundConstant++;
          continue;
        }
        if (tried === params.mtry) continue;
        tried++;
        // Sweep left to right; the score to maximise is the weighted "purity" of the two sides.
        for (let c = 0; c < kk; c++) leftStats[c] = 0;
        let wl = 0, nl = 0, sqL = 0, sqR = 0, sl = 0;
        if (classify) for (let c = 0; c < kk; c++) sqR += nodeLocal[c] * nodeLocal[c];
        for (let b = firstBin; b < lastBin; b++) {
          if (counts) {
            if (binRows[o + b] === 0) continue;
            nl += binRows[o + b];
          } else if (hist[2 * (o + b)] + hist[2 * (o + b) + 1] === 0) continue;
          if (classify) {
            const hb = (o + b) * kk;
            for (let c = 0; c < kk; c++) {
              const h = hist[hb + c];
              if (h === 0) continue;
              const L = leftStats[c], R = nodeLocal[c] - L;
              sqL += 2 * L * h + h * h;
              sqR += -2 * R * h + h * h;
              leftStats[c] = L + h;
              wl += h;
            }
          } else {
            wl += hist[2 * (o + b)];
            sl += hist[2 * (o + b) + 1];
          }
          if (counts) { // else every side holds a row, and minSamplesLeaf is 1
            if (nl < params.minSamplesLeaf) continue;
            if (rows - nl < params.minSamplesLeaf) break;
          }
          const wr = wt - wl;
          const score = classify ? sqL / wl + sqR / wr : (sl * sl) / wl + ((nodeStats[0] - sl) ** 2) / wr;
          if (score > bestScore + 1e-12 * Math.abs(score)) {
            let next = b + 1;
            if (counts) while (binRows[o + next] === 0) next++;
            else while (hist[2 * (o + next)] + hist[2 * (o + next) + 1] === 0) next++;
            bestScore = score;
            bestFeature = f;
            bestBin = b;
            bestNext = next;
            if (classify) for (let c = 0; c < kk; c++) bestLeft[c] = leftStats[c];
          }
        }
      }
      drawn += batch;
    }
    if (bestFeature >= 0) {
      // The children's list: this one's without the features found constant here.
      const below = known + d;
      if (below + d > lists.length) {
        const grown = new Int32Array(lists.length * 2);
        grown.set(lists);
        lists = grown;
        const longer = new Int32Array(listLength.length * 2);
        longer.set(listLength);
        listLength = longer;
      }
      let kept = nCand;
      if (foundConstant === 0) lists.copyWithin(below, known, known + nCand); // the same list: one copy
      else {
        kept = 0;
        for (let t = 0; t < nCand; t++) {
          const f = lists[known + t];
          if (!constantHere[f]) lists[below + kept++] = f;
        }
      }
      listLength[depth + 1] = kept;
    }
    if (foundConstant) for (let t = 0; t < drawn; t++) constantHere[candidates[t]] = 0;
    if (bestFeature < 0) continue;

    // Stable partition (bin <= bestBin left): rows stay in ascending order within every node,
    // so histogram passes read the feature codes front to back.
    // Without a branch (see the kernel): mispredicted sides had made this loop a tenth of a tree's time.
    const a = kernels.partition(start, end, bestFeature, bestBin, arrays.spare);
    const l = count, r = count + 1;
    count += 2;
    left[l] = right[l] = feature[l] = left[r] = right[r] = feature[r] = -1;
    threshold[l] = threshold[r] = 0;
    feature[node] = bestFeature;
    threshold[node] = (hi[bestFeature][bestBin] + lo[bestFeature][bestNext]) / 2;
    left[node] = l;
    right[node] = r;
    // Weighted impurity decrease, for the importances: the children's weighted impurity is
    // wt - score (Gini) or sumsq - score (squared error).
    const childImpurity = classify ? wt - bestScore : sumsq - bestScore;
    importances[bestFeature] += wt * impurity - childImpurity;
    if (classify) {
      for (let c = l * k; c < r * k + k; c++) classWeights[c] = 0; // l and r are consecutive
      for (let c = 0; c < kk; c++) {
        classWeights[l * k + present[c]] = bestLeft[c];
        classWeights[r * k + present[c]] = nodeLocal[c] - bestLeft[c];
      }
    }
    if (top + 8 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[top] = r;
    stack[top + 1] = a;
    stack[top + 2] = end;
    stack[top + 3] = depth + 1;
    stack[top + 4] = l;
    stack[top + 5] = start;
    stack[top + 6] = a;
    stack[top + 7] = depth + 1;
    top += 8;
  }
  let total = 0;
  for (let f = 0; f < d; f++) total += importances[f];
  if (total > 0) for (let f = 0; f < d; f++) importances[f] /= total;
  const tree: Tree = { feature: feature.slice(0, count), threshold: threshold.slice(0, count), left: left.slice(0, count), right: right.slice(0, count), value: new Float64Array(0), importances };
  if (!classify) tree.value = value.slice(0, count);
  else Object.assign(tree, compactLeaves(tree.left, value, k));
  return tree;
}

/** The class a leaf holds alone (its fractions at `at`: 1 there and 0 elsewhere), or -1. */
export function pureClass(v: Float64Array, at: number, k: number): number {
  let c = -1;
  for (let j = 0; j < k; j++) {
    const x = v[at + j];
    if (x === 0) continue;
    if (x !== 1 || c >= 0) return -1;
    c = j;
  }
  return c;
}

/** A classifier tree's leaves in the compact form (see Tree.leafClass), from k fractions per node in `values`. */
export function compactLeaves(left: Int32Array, values: Float64Array, k: number): { leafClass: Int32Array; value: Float64Array } {
  const n = left.length;
  const leafClass = new Int32Array(n);
  let mixed = 0;
  for (let node = 0; node < n; node++) {
    if (left[node] >= 0) continue;
    const c = pureClass(values, node * k, k);
    leafClass[node] = c >= 0 ? c : -1 - mixed++;
  }
  const value = new Float64Array(mixed * k);
  for (let node = 0; node < n; node++) {
    if (left[node] < 0 && leafClass[node] < 0) value.set(values.subarray(node * k, node * k + k), (-1 - leafClass[node]) * k);
  }
  return { leafClass, value };
}

/** Adds the values of `leaf` (a classifier's k class fractions, a regressor's mean) to out[at ..]. */
export function addLeafValues(tree: Tree, leaf: number, k: number, out: Float64Array, at: number): void {
  const v = tree.value;
  let row = leaf * k;
  if (tree.leafClass) {
    const c = tree.leafClass[leaf];
    if (c >= 0) {
      out[at + c] += 1; // the others would add zeros: the same sums
      return;
    }
    row = (-1 - c) * k;
  }
  for (let c = 0; c < k; c++) out[at + c] += v[row + c];
}

let scratch: { feature: Int32Array; threshold: Float64Array; left: Int32Array; right: Int32Array; value: Float64Array; classWeights: Float64Array } | undefined;
// Its size in numbers, not read from it: inlined into growTree, a property read that had not run
// before V8 optimised (a warm-up's first call makes the scratch) threw the code away.
let scratchCap = 0, scratchK = 0;

function scratchNodes(cap: number, k: number) {
  if (scratchCap < cap || scratchK !== k || scratch === undefined) {
    scratch = {
      feature: new Int32Array(cap), threshold: new Float64Array(cap), left: new Int32Array(cap), right: new Int32Array(cap),
      value: new Float64Array(cap * k), classWeights: new Float64Array(cap * k),
    };
    scratchCap = cap;
    scratchK = k;
  }
  return scratch;
}

/** The leaf a row of raw features lands in. */
export function leafOf(tree: Tree, x: Float64Array, offset: number): number {
  let node = 0;
  while (tree.left[node] >= 0) node = x[offset + tree.feature[node]] <= tree.threshold[node] ? tree.left[node] : tree.right[node];
  return node;
}
