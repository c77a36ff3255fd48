/**
 * Minimal read access to FlatBuffer tables, enough to walk a TFLite model or a
 * TFLite metadata buffer without generated code. Field ids are the 0-based
 * declaration order in the .fbs schema.
 */
import { ByteBuffer } from 'flatbuffers';

/** A table at an absolute position in a buffer. */
export class FbTable {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}

  /** The table referenced by the root offset (after an optional 4-byte identifier). */
  static root(bytes: Uint8Array): FbTable {
    const bb = new ByteBuffer(bytes);
    return new FbTable(bb, bb.readUint32(0));
  }

  /** Offset of field `id` relative to the table start, 0 when absent. */
  private fieldOffset(id: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * id);
  }

  /** Number of field slots in this table's vtable (fields declared up to the writer's schema). */
  fieldSlots(): number {
    const vtable = this.pos - this.bb.readInt32(this.pos);
    return (this.bb.readUint16(vtable) - 4) / 2;
  }

  /** Absolute position of the object (table, vector or string) that field `id` refers to. */
  refPos(id: number): number | null {
    const o = this.fieldOffset(id);
    return o ? this.bb.__indirect(this.pos + o) : null;
  }

  has(id: number): boolean {
    return this.fieldOffset(id) !== 0;
  }

  int8(id: number, dflt = 0): number {
    const o = this.fieldOffset(id);
    return o ? this.bb.readInt8(this.pos + o) : dflt;
  }

  uint8(id: number, dflt = 0): number {
    const o = this.fieldOffset(id);
    return o ? this.bb.readUint8(this.pos + o) : dflt;
  }

  int32(id: number, dflt = 0): number {
    const o = this.fieldOffset(id);
    return o ? this.bb.readInt32(this.pos + o) : dflt;
  }

  uint32(id: number, dflt = 0): number {
    const o = this.fieldOffset(id);
    return o ? this.bb.readUint32(this.pos + o) : dflt;
  }

  string(id: number): string | null {
    const o = this.fieldOffset(id);
    return o ? (this.bb.__string(this.pos + o) as string) : null;
  }

  table(id: number): FbTable | null {
    const o = this.fieldOffset(id);
    return o ? new FbTable(this.bb, this.bb.__indirect(this.pos + o)) : null;
  }

  /** Absolute position of the first element and the length of a vector field. */
  private vector(id: number): { start: number; length: number } | null {
    const o = this.fieldOffset(id);
    if (!o) return null;
    return { start: this.bb.__vector(this.pos + o), length: this.bb.__vector_len(this.pos + o) };
  }

  tables(id: number): FbTable[] {
    const v = this.vector(id);
    if (!v) return [];
    const out: FbTable[] = [];
    for (let i = 0; i < v.length; i++) {
      out.push(new FbTable(this.bb, this.bb.__indirect(v.start + 4 * i)));
    }
    return out;
  }

  int32s(id: number): number[] {
    const v = this.vector(id);
    if (!v) return [];
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.bb.readInt32(v.start + 4 * i));
    return out;
  }

  float32s(id: number): number[] {
    const v = this.vector(id);
    if (!v) return [];
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.bb.readFloat32(v.start + 4 * i));
    return out;
  }

  /** A [ubyte] vector as a view into the underlying bytes (no copy). */
  bytes(id: number): Uint8Array | null {
    const v = this.vector(id);
    if (!v) return null;
    return this.bb.bytes().subarray(v.start, v.start + v.length);
  }
}
