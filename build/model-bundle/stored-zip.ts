/**
 * A deterministic ZIP with STORED (uncompressed) entries: MediaPipe Tasks maps .task
 * entries in place and rejects deflated ones ("Expected uncompressed zip archive").
 */
import { zipSync, type ZipOptions } from 'fflate';

/** Fixed entry time, given in local time because the ZIP DOS timestamp is local. */
const FIXED_MTIME = new Date(2000, 0, 1, 12, 0, 0);
/** Entry data is aligned like TFLite buffers so weights are never misaligned in memory. */
const DATA_ALIGN = 16;
/** Extra-field id used for padding (the id Android's zipalign uses). */
const PADDING_EXTRA_ID = 0xd935;
const LOCAL_HEADER_SIZE = 30;
const EXTRA_HEADER_SIZE = 4;

export interface ZipEntryInput {
  name: string;
  data: Uint8Array;
}

export function storedZip(entries: readonly ZipEntryInput[]): Uint8Array {
  const files: Record<string, [Uint8Array, ZipOptions & { extra?: Record<number, Uint8Array> }]> = {};
  let offset = 0;
  for (const { name, data } of entries) {
    if (name in files) throw new Error(`duplicate zip entry ${name}`);
    const nameLength = new TextEncoder().encode(name).length;
    const headerEnd = offset + LOCAL_HEADER_SIZE + nameLength + EXTRA_HEADER_SIZE;
    const pad = (DATA_ALIGN - (headerEnd % DATA_ALIGN)) % DATA_ALIGN;
    const extra = { [PADDING_EXTRA_ID]: new Uint8Array(pad) };
    files[name] = [data, { level: 0, mtime: FIXED_MTIME, extra }];
    offset = headerEnd + pad + data.length;
  }
  return zipSync(files);
}

export interface ZipEntryInfo {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  size: number;
  compressedSize: number;
  /** Absolute offset of the entry's data in the archive. */
  dataOffset: number;
}

/** Lists entries from the central directory (enough to check the archive's shape). */
export function listZipEntries(zip: Uint8Array): ZipEntryInfo[] {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = -1;
  for (let i = zip.length - 22; i >= 0; i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('zip: end of central directory not found');
  const count = dv.getUint16(eocd + 10, true);
  let p = dv.getUint32(eocd + 16, true);
  const decoder = new TextDecoder();
  const out: ZipEntryInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (dv.getUint32(p, true) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const method = dv.getUint16(p + 10, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const size = dv.getUint32(p + 24, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    const localOffset = dv.getUint32(p + 42, true);
    const name = decoder.decode(zip.subarray(p + 46, p + 46 + nameLength));
    const localName = dv.getUint16(localOffset + 26, true);
    const localExtra = dv.getUint16(localOffset + 28, true);
    out.push({ name, method, size, compressedSize, dataOffset: localOffset + 30 + localName + localExtra });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}
