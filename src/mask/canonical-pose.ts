/**
 * Poses MediaPipe's generic canonical face on each face the camera sees: the weighted Procrustes
 * fit over the model's 33 expression-stable landmarks gives head position, size and rotation;
 * the mask's shape is the canonical one, so the patient's own face shape never reaches the output.
 * (Expressions and eyes come from the digital mask, which adds the patient's movements to it.)
 */
import type { Face } from '../vision/face';
import type { CanonicalFace } from './canonical-face';
import { applySimilarity, weightedProcrustes } from './procrustes';

export class CanonicalPoser {
  private readonly weights: Float64Array;
  private readonly target: Float64Array;
  private readonly posed: Float64Array;
  readonly vertexCount: number;

  constructor(private readonly canonical: CanonicalFace) {
    this.vertexCount = canonical.vertices.length / 3;
    this.weights = new Float64Array(this.vertexCount);
    for (const { landmarkId, weight } of canonical.procrustes) this.weights[landmarkId] = weight;
    this.target = new Float64Array(this.vertexCount * 3);
    this.posed = new Float64Array(this.vertexCount * 3);
  }

  /**
   * The canonical mesh placed where `face` is: normalized image coordinates like the landmarks
   * (x, y in [0, 1] of the frame, z scaled like x, growing away from the camera).
   */
  pose(face: Face, width: number, height: number): Float32Array {
    const p = face.landmarks;
    // Landmarks → the canonical model's axes (pixels, y up, z toward the viewer).
    for (let i = 0; i < this.vertexCount; i++) {
      this.target[i * 3] = p[i * 3]! * width;
      this.target[i * 3 + 1] = -p[i * 3 + 1]! * height;
      this.target[i * 3 + 2] = -p[i * 3 + 2]! * width;
    }
    const transform = weightedProcrustes(this.canonical.vertices, this.target, this.weights);
    applySimilarity(transform, this.canonical.vertices, this.posed);
    const out = new Float32Array(this.vertexCount * 3);
    for (let i = 0; i < this.vertexCount; i++) {
      out[i * 3] = this.posed[i * 3]! / width;
      out[i * 3 + 1] = -this.posed[i * 3 + 1]! / height;
      out[i * 3 + 2] = -this.posed[i * 3 + 2]! / width;
    }
    return out;
  }
}
