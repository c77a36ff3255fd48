/**
 * Reads files out of an Emscripten "file packager" bundle: a .data blob plus a
 * loader .js whose `loadPackage({...})` call lists each file's byte range.
 */

export interface PackageEntry {
  /** Full virtual path, e.g. /third_party/mediapipe/modules/.../face_landmark.tflite */
  filename: string;
  start: number;
  end: number;
}

export interface PackageListing {
  files: PackageEntry[];
  remotePackageSize: number;
}

/** Parses the JSON argument of the loader's `loadPackage(...)` call. */
export function parseLoaderListing(loaderJs: string): PackageListing {
  const call = loaderJs.lastIndexOf('loadPackage({');
  if (call < 0) throw new Error('Emscripten loader: no loadPackage({...}) call found');
  const json = balancedObjectAt(loaderJs, call + 'loadPackage('.length);
  const raw = JSON.parse(json) as { files?: unknown; remote_package_size?: unknown };
  if (!Array.isArray(raw.files) || typeof raw.remote_package_size !== 'number') {
    throw new Error('Emscripten loader: listing lacks files[] or remote_package_size');
  }
  const files = raw.files.map((f: unknown): PackageEntry => {
    const e = f as Partial<PackageEntry>;
    if (typeof e.filename !== 'string' || !Number.isInteger(e.start) || !Number.isInteger(e.end)) {
      throw new Error(`Emscripten loader: malformed file entry ${JSON.stringify(f)}`);
    }
    return { filename: e.filename, start: e.start as number, end: e.end as number };
  });
  return { files, remotePackageSize: raw.remote_package_size };
}

/** Returns the `{...}` starting at `from`, honouring strings so braces inside them don't count. */
function balancedObjectAt(text: string, from: number): string {
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error('Emscripten loader: unterminated loadPackage argument');
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Slices the wanted files (by basename) out of the .data blob. Fails if a file is
 * missing from the listing or the blob does not match the listing's size.
 */
export function extractFiles(
  data: Uint8Array,
  listing: PackageListing,
  wanted: readonly string[],
): Map<string, Uint8Array> {
  if (data.length !== listing.remotePackageSize) {
    throw new Error(
      `Emscripten package: .data is ${data.length} bytes, loader expects ${listing.remotePackageSize}`,
    );
  }
  const out = new Map<string, Uint8Array>();
  for (const name of wanted) {
    const entry = listing.files.find((f) => basename(f.filename) === name);
    if (!entry) throw new Error(`Emscripten package: ${name} not listed by the loader`);
    if (entry.start < 0 || entry.end > data.length || entry.end < entry.start) {
      throw new Error(`Emscripten package: bad byte range for ${name}: ${entry.start}..${entry.end}`);
    }
    out.set(name, data.slice(entry.start, entry.end));
  }
  return out;
}
