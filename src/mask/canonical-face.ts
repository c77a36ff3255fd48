/**
 * Reads MediaPipe's canonical face model (geometry_pipeline_metadata_landmarks.binarypb, shipped
 * with the model bundle): the canonical mesh (468 vertices, their texture coordinates, triangles)
 * and the Procrustes weights.
 *
 * Schema (mediapipe/modules/face_geometry/protos/geometry_pipeline_metadata.proto, mesh_3d.proto):
 *   GeometryPipelineMetadata { Mesh3d canonical_mesh = 1; repeated WeightedLandmarkRef procrustes_landmark_basis = 2; }
 *   Mesh3d { repeated float vertex_buffer = 3; repeated uint32 index_buffer = 4; }   // x,y,z,u,v per vertex
 *   WeightedLandmarkRef { uint32 landmark_id = 1; float weight = 2; }
 * The file stores the repeated fields unpacked (docs/mask.md); packed ones are read too.
 * Three fields of one small file do not earn a protobuf library's bytes, hence this reader.
 */
export interface CanonicalFace {
  /** x,y,z per vertex, in centimetres, y up, z toward the viewer. */
  vertices: Float32Array;
  /**
   * u, v per vertex: the mesh's own texture layout (u right, v down from the top of the texture,
   * both 0..1), what the mask's skin texture is drawn in (skin-texture.ts).
   */
  uvs: Float32Array;
  /** Three vertex ids per triangle. */
  triangles: Uint32Array;
  procrustes: { landmarkId: number; weight: number }[];
}

class ProtoReader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get done(): boolean {
    return this.pos >= this.bytes.length;
  }
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.bytes.length) throw new Error('truncated varint');
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  }
  float(): number {
    const v = this.view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }
  sub(): ProtoReader {
    const len = this.varint();
    const r = new ProtoReader(this.bytes.subarray(this.pos, this.pos + len));
    this.pos += len;
    return r;
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.pos += this.varint();
    else if (wireType === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wireType}`);
  }
}

function readMesh(r: ProtoReader, vertices: number[], indices: number[]): void {
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 3 && wire === 5) vertices.push(r.float());
    else if (field === 3 && wire === 2) for (const p = r.sub(); !p.done; ) vertices.push(p.float());
    else if (field === 4 && wire === 0) indices.push(r.varint());
    else if (field === 4 && wire === 2) for (const p = r.sub(); !p.done; ) indices.push(p.varint());
    else r.skip(wire);
  }
}

export function parseCanonicalFace(bytes: Uint8Array): CanonicalFace {
  const r = new ProtoReader(bytes);
  const vertexBuffer: number[] = [];
  const indices: number[] = [];
  const procrustes: CanonicalFace['procrustes'] = [];
  while (!r.done) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === 2) readMesh(r.sub(), vertexBuffer, indices);
    else if (field === 2 && wire === 2) {
      const ref = r.sub();
      let landmarkId = 0;
      let weight = 0;
      while (!ref.done) {
        const t = ref.varint();
        if (t === 1 << 3) landmarkId = ref.varint();
        else if (t === ((2 << 3) | 5)) weight = ref.float();
        else ref.skip(t & 7);
      }
      procrustes.push({ landmarkId, weight });
    } else r.skip(wire);
  }
  if (vertexBuffer.length % 5 !== 0 || indices.length % 3 !== 0 || vertexBuffer.length === 0) {
    throw new Error(`canonical face model malformed: ${vertexBuffer.length} vertex floats, ${indices.length} indices`);
  }
  const count = vertexBuffer.length / 5;
  const vertices = new Float32Array(count * 3);
  const uvs = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    vertices[i * 3] = vertexBuffer[i * 5]!;
    vertices[i * 3 + 1] = vertexBuffer[i * 5 + 1]!;
    vertices[i * 3 + 2] = vertexBuffer[i * 5 + 2]!;
    uvs[i * 2] = vertexBuffer[i * 5 + 3]!;
    uvs[i * 2 + 1] = vertexBuffer[i * 5 + 4]!;
  }
  return { vertices, uvs, triangles: Uint32Array.from(indices), procrustes };
}
