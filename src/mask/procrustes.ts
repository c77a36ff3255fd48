/**
 * Weighted Procrustes: the similarity transform (scale, rotation, translation) that best maps
 * source points onto target points, least squares with per-point weights (Horn 1987, closed form
 * with unit quaternions). Used to pose the canonical face on the landmarks the camera sees, so the
 * mask keeps the head pose and never the person's own face shape.
 */
export interface Similarity {
  scale: number;
  /** Row-major 3×3 rotation. */
  rotation: Float64Array;
  translation: [number, number, number];
}

/** Eigen-decomposition of a symmetric 4×4 matrix (cyclic Jacobi); returns the top eigenvector. */
function topEigenvector(m: number[][]): number[] {
  const a = m.map((row) => row.slice());
  const v = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ];
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < 4; p++) for (let q = p + 1; q < 4; q++) off += a[p]![q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < 4; p++) {
      for (let q = p + 1; q < 4; q++) {
        const apq = a[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < 4; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < 4; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < 4; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let i = 1; i < 4; i++) if (a[i]![i]! > a[best]![best]!) best = i;
  return [v[0]![best]!, v[1]![best]!, v[2]![best]!, v[3]![best]!];
}

/**
 * Best similarity mapping `source` onto `target` (both xyz triplets, same point order).
 * `weights[i]` weighs point i; points with weight 0 do not count.
 */
export function weightedProcrustes(source: ArrayLike<number>, target: ArrayLike<number>, weights: ArrayLike<number>): Similarity {
  const n = weights.length;
  let wsum = 0;
  const cs = [0, 0, 0];
  const ct = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    wsum += w;
    for (let k = 0; k < 3; k++) {
      cs[k]! += w * source[i * 3 + k]!;
      ct[k]! += w * target[i * 3 + k]!;
    }
  }
  if (!(wsum > 0)) throw new Error('Procrustes needs positive weights');
  for (let k = 0; k < 3; k++) {
    cs[k]! /= wsum;
    ct[k]! /= wsum;
  }
  // Weighted cross-covariance S = Σ w (s - cs)(t - ct)^T, and the source's spread.
  const S = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  let spread = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    const sx = source[i * 3]! - cs[0]!, sy = source[i * 3 + 1]! - cs[1]!, sz = source[i * 3 + 2]! - cs[2]!;
    const tx = target[i * 3]! - ct[0]!, ty = target[i * 3 + 1]! - ct[1]!, tz = target[i * 3 + 2]! - ct[2]!;
    S[0]! += w * sx * tx; S[1]! += w * sx * ty; S[2]! += w * sx * tz;
    S[3]! += w * sy * tx; S[4]! += w * sy * ty; S[5]! += w * sy * tz;
    S[6]! += w * sz * tx; S[7]! += w * sz * ty; S[8]! += w * sz * tz;
    spread += w * (sx * sx + sy * sy + sz * sz);
  }
  const [sxx, sxy, sxz, syx, syy, syz, szx, szy, szz] = S as [number, number, number, number, number, number, number, number, number];
  // Horn's symmetric matrix; its top eigenvector is the rotation quaternion (w, x, y, z).
  const N = [
    [sxx + syy + szz, syz - szy, szx - sxz, sxy - syx],
    [syz - szy, sxx - syy - szz, sxy + syx, szx + sxz],
    [szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy],
    [sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz],
  ];
  const [qw, qx, qy, qz] = topEigenvector(N) as [number, number, number, number];
  const R = new Float64Array([
    1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qw * qz), 2 * (qx * qz + qw * qy),
    2 * (qx * qy + qw * qz), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qw * qx),
    2 * (qx * qz - qw * qy), 2 * (qy * qz + qw * qx), 1 - 2 * (qx * qx + qy * qy),
  ]);
  // Scale: Σ w (R s')·t' / Σ w |s'|²  =  trace(R S) / spread.
  let dot = 0;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) dot += R[r * 3 + c]! * S[c * 3 + r]!;
  const scale = spread > 0 ? dot / spread : 1;
  const translation: [number, number, number] = [0, 0, 0];
  for (let r = 0; r < 3; r++) {
    translation[r] = ct[r]! - scale * (R[r * 3]! * cs[0]! + R[r * 3 + 1]! * cs[1]! + R[r * 3 + 2]! * cs[2]!);
  }
  return { scale, rotation: R, translation };
}

/** out[i] = scale · R · points[i] + t, for xyz triplets. */
export function applySimilarity(T: Similarity, points: ArrayLike<number>, out: Float32Array | Float64Array): void {
  const R = T.rotation;
  for (let i = 0; i < points.length / 3; i++) {
    const x = points[i * 3]!, y = points[i * 3 + 1]!, z = points[i * 3 + 2]!;
    for (let r = 0; r < 3; r++) {
      out[i * 3 + r] = T.scale * (R[r * 3]! * x + R[r * 3 + 1]! * y + R[r * 3 + 2]! * z) + T.translation[r]!;
    }
  }
}
