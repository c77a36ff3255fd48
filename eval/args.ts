/**
 * `npm run eval -- [--data DIR] [--styles a,b,...] [--out DIR] [...]` → options.
 */
import path from 'node:path';
import { MASK_STYLES, isMaskStyle, type MaskStyle } from '../src/settings/style';
import type { RecognizerName } from './measure/recognizer';

export interface EvalOptions {
  /** data folders, each reported on its own */
  data: string[];
  /** false: the default folders, of which a missing one is skipped with a note */
  dataGiven: boolean;
  styles: MaskStyle[];
  out: string;
  build: boolean;
  faceapiStride: number;
  reidFrames: number;
  /** cut every clip to this many seconds (quick runs) */
  maxSeconds?: number;
  second: RecognizerName;
  /** browser pages running sequences side by side */
  pages: number;
  /** face-api worker threads */
  threads: number;
  chromium?: string;
  /** only re-draw report.html of a finished run in this folder */
  redraw?: string;
  /** also run the live mode: each clip as the fake camera of a call page with the extension */
  live: boolean;
  /** fail the run when no unit of work completes for this long */
  stallSeconds: number;
  help: boolean;
}

export const USAGE = `usage: npm run eval -- [options]

  --data DIR[,DIR]    data folder(s): videos/*.mp4 and identities/<person>/*.jpg|png;
                      repeat or comma-separate for several, each reported on its own
                      (default ../shared/testdata and ../shared/testdata-lfw, where present)
  --styles a,b,...    mask styles to evaluate (default: all: ${MASK_STYLES.join(',')});
                      the unmasked input is always evaluated too, as style "none"
  --out DIR           where results.json, report.html and frames/ go (default test-artifacts/eval)
  --no-build          use the existing production build in .output/chrome-mv3 (default: npx wxt build first)
  --faceapi-stride N  face-api 68-landmark fidelity on every Nth frame (default 3)
  --reid-frames N     frames per clip for video re-identification (default 12)
  --max-seconds S     cut every clip to S seconds (quick runs)
  --second NAME       second recognizer: faceres (default) or mobilefacenet
  --pages N           browser pages (each with its own mask worker) working side by side (default 2)
  --threads N         face-api worker threads (default 2)
  --chromium PATH     Chromium binary (default: /usr/bin/chromium or CHROMIUM_PATH)
  --live              also run each clip as the fake camera of a call page on https://doxy.me/
                      with the production extension, record what the page receives, and
                      measure it like the offline output (docs/eval.md §Live)
  --stall-timeout S   fail when no work completes for S seconds (default 300)
  --redraw DIR        only re-draw DIR/report.html from DIR/results.json and series.json
  -h, --help          this text`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], cwd: string, repoRoot: string): EvalOptions {
  const o: EvalOptions = {
    data: [path.resolve(repoRoot, '..', 'shared', 'testdata'), path.resolve(repoRoot, '..', 'shared', 'testdata-lfw')],
    dataGiven: false,
    live: false,
    stallSeconds: 300,
    styles: [...MASK_STYLES],
    out: path.resolve(repoRoot, 'test-artifacts', 'eval'),
    build: true,
    faceapiStride: 3,
    reidFrames: 12,
    second: 'faceres',
    pages: 2,
    threads: 2,
    help: false,
  };
  const args = [...argv];
  const value = (flag: string): string => {
    const v = args.shift();
    if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const positiveInt = (flag: string, v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${v}'`);
    return n;
  };
  while (args.length) {
    let a = args.shift()!;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      args.unshift(a.slice(eq + 1));
      a = a.slice(0, eq);
    }
    switch (a) {
      case '--data': {
        const dirs = value(a).split(',').map((d) => d.trim()).filter(Boolean).map((d) => path.resolve(cwd, d));
        o.data = o.dataGiven ? [...o.data, ...dirs] : dirs;
        o.dataGiven = true;
        break;
      }
      case '--live':
        o.live = true;
        break;
      case '--stall-timeout':
        o.stallSeconds = positiveInt(a, value(a));
        break;
      case '--out':
        o.out = path.resolve(cwd, value(a));
        break;
      case '--styles': {
        const list = value(a)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s && s !== 'none');
        const bad = list.filter((s) => !isMaskStyle(s));
        if (bad.length) throw new UsageError(`unknown style(s): ${bad.join(', ')} (known: ${MASK_STYLES.join(', ')})`);
        o.styles = [...new Set(list)] as MaskStyle[];
        break;
      }
      case '--no-build':
        o.build = false;
        break;
      case '--build':
        o.build = true;
        break;
      case '--faceapi-stride':
        o.faceapiStride = positiveInt(a, value(a));
        break;
      case '--reid-frames':
        o.reidFrames = positiveInt(a, value(a));
        break;
      case '--max-seconds': {
        const v = value(a);
        const n = Number(v);
        if (!(n > 0)) throw new UsageError(`--max-seconds must be > 0, got '${v}'`);
        o.maxSeconds = n;
        break;
      }
      case '--second': {
        const v = value(a);
        if (v !== 'faceres' && v !== 'mobilefacenet') throw new UsageError(`--second must be faceres or mobilefacenet, got '${v}'`);
        o.second = v;
        break;
      }
      case '--pages':
        o.pages = positiveInt(a, value(a));
        break;
      case '--threads':
        o.threads = positiveInt(a, value(a));
        break;
      case '--redraw':
        o.redraw = path.resolve(cwd, value(a));
        break;
      case '--chromium':
        o.chromium = path.resolve(cwd, value(a));
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new UsageError(`unknown argument '${a}'`);
    }
  }
  return o;
}
