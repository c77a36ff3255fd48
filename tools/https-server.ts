/**
 * Static HTTPS server on 127.0.0.1 with a throw-away self-signed certificate (openssl CLI, temp dir).
 *
 * Chromium reaches it under any host name through host-resolver rules, e.g.
 *   --host-resolver-rules="MAP doxy.me:443 127.0.0.1:PORT, MAP not-telehealth.test:443 127.0.0.1:PORT"
 *   --ignore-certificate-errors
 * (see hostResolverRules()). The page origin stays https://doxy.me (port 443), so any free port works.
 *
 * Routing: `route(req)` may return per-request options (another root, a rewritten path, extra headers).
 * The default route serves `/strict/...` as `/...` with the strict CSP header (STRICT_CSP).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync, createReadStream } from 'node:fs';
import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self'; require-trusted-types-for 'script'";

export const TELEHEALTH_HOST = 'doxy.me';
export const OTHER_HOST = 'not-telehealth.test';
/** A second covered site, for pages of one covered site that embed another. */
export const SECOND_TELEHEALTH_HOST = 'meet.jit.si';

export interface RouteResult {
  /** serve from this directory instead of the server root */
  root?: string;
  /** path to look up (default: the request path) */
  path?: string;
  /** extra response headers */
  headers?: Record<string, string>;
  /** answer with this status and body instead of a file */
  status?: number;
  body?: string | Buffer;
  /** the route answers the request itself (e.g. reads a POST body first) */
  respond?: (req: IncomingMessage, res: ServerResponse) => void;
}

export type Route = (req: IncomingMessage, url: URL) => RouteResult | undefined | void;

export interface HttpsServerOptions {
  /** directory to serve */
  root: string;
  /** 0 (default) = any free port; 443 needs root */
  port?: number;
  host?: string;
  /** host names to put in the certificate (only cosmetic: Chromium runs with --ignore-certificate-errors) */
  hostnames?: string[];
  route?: Route;
  /** log requests to stderr */
  verbose?: boolean;
}

export interface StaticHttpsServer {
  port: number;
  /** https://127.0.0.1:PORT */
  url: string;
  /** Requests seen so far (method + url + host) — handy in tests. */
  requests: { method: string; url: string; host: string }[];
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
};

/** Route that serves /strict/* as /* with the strict CSP header. */
export const strictCspRoute: Route = (_req, url) => {
  if (url.pathname === '/strict' || url.pathname.startsWith('/strict/')) {
    return { path: url.pathname.slice('/strict'.length) || '/', headers: { 'Content-Security-Policy': STRICT_CSP } };
  }
  return undefined;
};

/** Makes a self-signed cert + key with the openssl CLI; the temp dir is removed right after. */
export function makeSelfSignedCert(hostnames: string[] = [TELEHEALTH_HOST, OTHER_HOST, SECOND_TELEHEALTH_HOST, 'localhost']): {
  cert: Buffer;
  key: Buffer;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'telemask-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    const san = [...hostnames.map((h) => `DNS:${h}`), 'IP:127.0.0.1'].join(',');
    const r = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
        '-keyout', keyFile, '-out', certFile, '-subj', `/CN=${hostnames[0] ?? 'localhost'}`,
        '-addext', `subjectAltName=${san}`],
      { encoding: 'utf8' },
    );
    if (r.error) throw new Error(`openssl not found: ${r.error.message} (install openssl)`);
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    return { cert: readFileSync(certFile), key: readFileSync(keyFile) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startHttpsServer(opts: HttpsServerOptions): Promise<StaticHttpsServer> {
  const { cert, key } = makeSelfSignedCert(opts.hostnames);
  const rootDefault = path.resolve(opts.root);
  const route = opts.route ?? strictCspRoute;
  const requests: StaticHttpsServer['requests'] = [];

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `https://${req.headers.host ?? 'localhost'}`);
    requests.push({ method: req.method ?? 'GET', url: url.pathname + url.search, host: url.hostname });
    if (opts.verbose) console.error(`[https] ${req.method} ${url.host}${url.pathname}`);
    const r = route(req, url) || {};
    if (r.respond) {
      r.respond(req, res);
      return;
    }
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...r.headers };
    if (r.status !== undefined || r.body !== undefined) {
      res.writeHead(r.status ?? 200, headers);
      res.end(r.body ?? '');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers);
      res.end();
      return;
    }
    const root = r.root ? path.resolve(r.root) : rootDefault;
    let rel: string;
    try {
      rel = decodeURIComponent(r.path ?? url.pathname);
    } catch {
      res.writeHead(400, headers);
      res.end('bad path');
      return;
    }
    let file = path.join(root, path.normalize(rel));
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403, headers);
      res.end('forbidden');
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (url.pathname === '/favicon.ico' && !existsSync(file)) {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain', ...headers });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': String(statSync(file).size),
      ...headers,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };

  const server = https.createServer({ cert, key }, handler);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `https://${host}:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * Value for Chromium's --host-resolver-rules mapping each host's port 443 to 127.0.0.1:port.
 * The page keeps its https://HOST origin (default port), only the connection goes to the local port.
 */
export function hostResolverRules(port: number, hosts: string[] = [TELEHEALTH_HOST, OTHER_HOST, SECOND_TELEHEALTH_HOST]): string {
  return hosts.map((h) => `MAP ${h}:443 127.0.0.1:${port}`).join(', ');
}
