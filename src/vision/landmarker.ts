/**
 * MediaPipe FaceLandmarker (tasks-vision 1.x, CPU delegate, VIDEO mode) → plain Face objects.
 * The WASM runtime and the model bundle are files of the extension itself: nothing is fetched
 * from anywhere else.
 */
import { FaceLandmarker, FilesetResolver } from '@mediapipe/tasks-vision';
import { LANDMARK_COUNT, type Face } from './face';

export const MAX_FACES = 4;

export interface LandmarkerFiles {
  /** Folder holding vision_wasm_internal.{js,wasm}. */
  wasmBase: string;
  modelBuffer: Uint8Array;
}

export class FaceTracker {
  private lastTimestamp = -1;

  private constructor(private readonly landmarker: FaceLandmarker) {}

  static async create(files: LandmarkerFiles): Promise<FaceTracker> {
    const fileset = await FilesetResolver.forVisionTasks(files.wasmBase);
    const landmarker = await FaceLandmarker.createFromOptions(fileset, {
      baseOptions: { modelAssetBuffer: files.modelBuffer, delegate: 'CPU' },
      runningMode: 'VIDEO',
      numFaces: MAX_FACES,
      outputFacialTransformationMatrixes: true,
      outputFaceBlendshapes: false,
    });
    return new FaceTracker(landmarker);
  }

  /** Landmarks of every face in the frame; timestamps must rise, so equal ones are nudged. */
  detect(frame: ImageData | VideoFrame, timestampMs: number): Face[] {
    const ts = Math.max(timestampMs, this.lastTimestamp + 1);
    this.lastTimestamp = ts;
    const result = this.landmarker.detectForVideo(frame, ts);
    const faces = result.faceLandmarks.map((points, i) => {
      const landmarks = new Float32Array(LANDMARK_COUNT * 3);
      points.slice(0, LANDMARK_COUNT).forEach((p, j) => {
        landmarks[j * 3] = p.x;
        landmarks[j * 3 + 1] = p.y;
        landmarks[j * 3 + 2] = p.z;
      });
      const m = result.facialTransformationMatrixes?.[i]?.data;
      return { landmarks, matrix: m ? Float32Array.from(m) : null };
    });
    // A face with a non-finite point would poison the mask's pose: leave it out (it has no mask,
    // and the frame is then obscured if it was the only face).
    return faces.filter((f) => f.landmarks.every(Number.isFinite));
  }

  close(): void {
    this.landmarker.close();
  }
}
