/**
 * Where the extension's own process spends its memory during a call: its mappings from
 * /proc/PID/smaps grouped (anonymous, wasm-sized reservations, files), with RSS/PSS.
 * npx tsx scripts/research/memory-map.ts [--extension DIR] [--clip FILE]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { processTree } from '../../eval/memory';
import { waitForMasking } from '../../tools/chromium';
import { toFakeCamera } from '../../tools/fake-camera';
import { openCall, startPagesServer, TELEHEALTH_URL } from '../../tests/support/e2e';

const arg = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : d; };
const extensionDir = path.resolve(arg('--extension', '.output/chrome-mv3'));
const clip = path.resolve(arg('--clip', '../shared/testdata/videos/portrait-d0.mp4'));

interface Mapping { range: string; size: number; perms: string; name: string; rss: number; pss: number; anon: number }
function smaps(pid: number): Mapping[] {
  const out: Mapping[] = [];
  let cur: Mapping | null = null;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      cur = { range: `${head[1]}-${head[2]}`, size: (parseInt(head[2]!, 16) - parseInt(head[1]!, 16)) / 1024, perms: head[3]!, name: head[4] ?? '', rss: 0, pss: 0, anon: 0 };
      out.push(cur);
      continue;
    }
    const f = /^(Rss|Pss|Anonymous):\s+(\d+) kB/.exec(line);
    if (f && cur) { if (f[1] === 'Rss') cur.rss = +f[2]!; else if (f[1] === 'Pss') cur.pss = +f[2]!; else cur.anon = +f[2]!; }
  }
  return out;
}

const server = await startPagesServer();
const camera = await toFakeCamera(clip, { width: 640, height: 480, fps: 30, seconds: 30 });
const call = await openCall({ server, camera, url: TELEHEALTH_URL, extensionDir });
try {
  if (call.sw) await waitForMasking(call.sw, call.page);
  await new Promise((r) => setTimeout(r, 8000));
  for (const t of call.browser.targets()) {
    if (!t.url().startsWith('chrome-extension://')) continue;
    try {
      const cdp = await t.createCDPSession();
      const h = await cdp.send('Runtime.getHeapUsage') as unknown as Record<string, number>;
      console.log(`${t.type()} ${t.url().replace(/^chrome-extension:\/\/[^/]+/, '')}: ${Object.entries(h).map(([k, v]) => `${k} ${(v / 1048576).toFixed(1)} MB`).join(', ')}`);
    } catch (e) { console.log(`${t.type()} ${t.url()}: ${String(e)}`); }
  }
  const root = call.browser.process()!.pid!;
  for (const pid of processTree(root)) {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    if (!/--extension-process/.test(cmd)) continue;
    const maps = smaps(pid);
    const total = maps.reduce((a, m) => ({ rss: a.rss + m.rss, pss: a.pss + m.pss }), { rss: 0, pss: 0 });
    console.log(`extension process ${pid}: RSS ${(total.rss / 1024).toFixed(0)} MB, PSS ${(total.pss / 1024).toFixed(0)} MB`);
    const groups = new Map<string, { rss: number; pss: number; n: number }>();
    for (const m of maps) {
      const key = m.name ? (m.name.startsWith('/') ? path.basename(m.name) : m.name) : (m.size > 1024 * 1024 ? 'anon ≥1 GB reservation' : m.size >= 32 * 1024 ? 'anon ≥32 MB' : 'anon small');
      const g = groups.get(key) ?? { rss: 0, pss: 0, n: 0 };
      g.rss += m.rss; g.pss += m.pss; g.n++;
      groups.set(key, g);
    }
    for (const [k, g] of [...groups].sort((a, b) => b[1].pss - a[1].pss).slice(0, 14)) {
      console.log(`  ${k.padEnd(32)} ${(g.rss / 1024).toFixed(1).padStart(7)} RSS ${(g.pss / 1024).toFixed(1).padStart(7)} PSS (${g.n})`);
    }
    console.log('  largest anonymous mappings by PSS:');
    for (const m of maps.filter((m) => !m.name || m.perms.includes('x')).sort((a, b) => b.pss - a.pss).slice(0, 12)) {
      console.log(`    ${m.perms} size ${(m.size / 1024).toFixed(0).padStart(7)} MB  rss ${(m.rss / 1024).toFixed(1).padStart(6)}  pss ${(m.pss / 1024).toFixed(1).padStart(6)}`);
    }
  }
} finally {
  await call.close();
  await server.close();
}
