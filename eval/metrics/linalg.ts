/**
 * The little linear algebra the adaptive attackers need (pure, no dependencies): z-scoring,
 * a symmetric eigen-decomposition (cyclic Jacobi; the matrices here are at most a few hundred
 * rows), PCA with whitening through the samples' Gram matrix (few samples, many dimensions), and
 * multinomial logistic regression (softmax, L2, full-batch gradient descent with momentum).
 */

export type Vector = ArrayLike<number>;

/** Per-dimension mean and standard deviation of `rows` (std 1 where a dimension is constant). */
export function zscoreFit(rows: readonly Vector[]): { mean: Float64Array; std: Float64Array } {
  const d = rows[0]?.length ?? 0;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]!;
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, rows.length);
  for (const r of rows) for (let j = 0; j < d; j++) std[j]! += (r[j]! - mean[j]!) ** 2;
  for (let j = 0; j < d; j++) {
    const s = Math.sqrt(std[j]! / Math.max(1, rows.length - 1));
    std[j] = s > 1e-12 ? s : 1;
  }
  return { mean, std };
}

export function zscore(v: Vector, fit: { mean: Float64Array; std: Float64Array }): Float64Array {
  const out = new Float64Array(fit.mean.length);
  for (let j = 0; j < out.length; j++) {
    const x = v[j]!;
    out[j] = Number.isFinite(x) ? (x - fit.mean[j]!) / fit.std[j]! : 0;
  }
  return out;
}

export function dot(a: Vector, b: Vector): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Eigenvalues (descending) and eigenvectors (columns, vectors[i*n + k] = component i of vector k) of a symmetric n×n matrix. */
export function symmetricEigen(a: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const total = m.reduce((s, x) => s + x * x, 0);
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q]! ** 2;
    if (off <= 1e-22 * total || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!;
          const mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!;
          const mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => m[y * n + y]! - m[x * n + x]!);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((src, k) => {
    values[k] = m[src * n + src]!;
    for (let i = 0; i < n; i++) vectors[i * n + k] = v[i * n + src]!;
  });
  return { values, vectors };
}

/**
 * PCA fitted on z-scored rows, with whitened scores (unit variance per component), through the
 * n×n Gram matrix: n samples ≪ d dimensions here. Keeps at most `maxComponents` components.
 */
export class Pca {
  private constructor(
    private readonly z: { mean: Float64Array; std: Float64Array },
    private readonly rows: Float64Array[],
    /** per component k: coefficients over the training rows, already divided for whitening */
    private readonly coef: Float64Array[],
  ) {}

  get components(): number {
    return this.coef.length;
  }

  static fit(rows: readonly Vector[], maxComponents = 64): Pca {
    const z = zscoreFit(rows);
    const zr = rows.map((r) => zscore(r, z));
    const n = zr.length;
    // centre again (z-scoring centred on the same mean: already centred)
    const g = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const v = dot(zr[i]!, zr[j]!);
        g[i * n + j] = v;
        g[j * n + i] = v;
      }
    }
    const { values, vectors } = symmetricEigen(g, n);
    const top = values[0] ?? 0;
    const coef: Float64Array[] = [];
    for (let k = 0; k < Math.min(maxComponents, n - 1); k++) {
      const lambda = values[k]!;
      if (!(lambda > 1e-9 * top) || lambda <= 0) break;
      // direction v_k = Σ_i u_ik x_i / sqrt(λ); whitened score = x·v_k / sqrt(λ / (n - 1))
      const c = new Float64Array(n);
      const s = Math.sqrt(n - 1) / lambda;
      for (let i = 0; i < n; i++) c[i] = vectors[i * n + k]! * s;
      coef.push(c);
    }
    return new Pca(z, zr, coef);
  }

  transform(v: Vector): Float64Array {
    const x = zscore(v, this.z);
    const proj = this.rows.map((r) => dot(r, x));
    return Float64Array.from(this.coef, (c) => dot(c, proj));
  }
}

/** Multinomial logistic regression (softmax) with L2 on the weights; inputs should be ~unit scale. */
export class SoftmaxRegression {
  private constructor(
    readonly classes: string[],
    private readonly w: Float64Array[],
    private readonly b: Float64Array,
  ) {}

  static fit(x: readonly Vector[], labels: readonly string[], opts: { l2?: number; iterations?: number; rate?: number } = {}): SoftmaxRegression {
    const classes = [...new Set(labels)].sort();
    const index = new Map(classes.map((c, i) => [c, i]));
    const C = classes.length;
    const d = x[0]?.length ?? 0;
    const n = x.length;
    const l2 = opts.l2 ?? 1e-2;
    const iters = opts.iterations ?? 300;
    const rate = opts.rate ?? 0.5;
    const w = Array.from({ length: C }, () => new Float64Array(d));
    const b = new Float64Array(C);
    const vw = Array.from({ length: C }, () => new Float64Array(d));
    const vb = new Float64Array(C);
    const gw = Array.from({ length: C }, () => new Float64Array(d));
    const gb = new Float64Array(C);
    const p = new Float64Array(C);
    for (let it = 0; it < iters; it++) {
      for (let c = 0; c < C; c++) {
        gw[c]!.fill(0);
        gb[c] = 0;
      }
      for (let i = 0; i < n; i++) {
        const xi = x[i]!;
        let max = -Infinity;
        for (let c = 0; c < C; c++) {
          p[c] = dot(w[c]!, xi) + b[c]!;
          if (p[c]! > max) max = p[c]!;
        }
        let sum = 0;
        for (let c = 0; c < C; c++) {
          p[c] = Math.exp(p[c]! - max);
          sum += p[c]!;
        }
        const yi = index.get(labels[i]!)!;
        for (let c = 0; c < C; c++) {
          const g = p[c]! / sum - (c === yi ? 1 : 0);
          if (g === 0) continue;
          const row = gw[c]!;
          for (let j = 0; j < d; j++) row[j]! += g * xi[j]!;
          gb[c]! += g;
        }
      }
      for (let c = 0; c < C; c++) {
        const wc = w[c]!;
        const vc = vw[c]!;
        const gc = gw[c]!;
        for (let j = 0; j < d; j++) {
          const g = gc[j]! / n + l2 * wc[j]!;
          vc[j] = 0.9 * vc[j]! - rate * g;
          wc[j]! += vc[j]!;
        }
        vb[c] = 0.9 * vb[c]! - (rate * gb[c]!) / n;
        b[c]! += vb[c]!;
      }
    }
    return new SoftmaxRegression(classes, w, b);
  }

  /** Log-probability of each class. */
  scores(v: Vector): Map<string, number> {
    const logits = this.classes.map((_, c) => dot(this.w[c]!, v) + this.b[c]!);
    const max = Math.max(...logits);
    const lse = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
    return new Map(this.classes.map((c, i) => [c, logits[i]! - lse]));
  }
}
