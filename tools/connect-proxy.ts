/**
 * An HTTPS proxy for Firefox in tests: every CONNECT, whatever host it names, is tunnelled to the
 * local test server. Firefox has no --host-resolver-rules; with this proxy a page opens as
 * https://doxy.me/ (its real origin, port 443) while served from 127.0.0.1 — as Chromium's host
 * rules do. Plain requests are refused.
 */
import net from 'node:net';

export interface ConnectProxy {
  port: number;
  close(): Promise<void>;
}

export async function startConnectProxy(targetPort: number): Promise<ConnectProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.once('data', (head) => {
      const line = head.toString('latin1').split('\r\n')[0] ?? '';
      if (!line.startsWith('CONNECT ')) {
        client.end('HTTP/1.1 405 Method Not Allowed\r\n\r\n');
        return;
      }
      const upstream = net.connect(targetPort, '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        client.pipe(upstream).pipe(client);
      });
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
