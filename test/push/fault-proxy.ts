// A tiny HTTP proxy in front of the simulator that lets Sage PROCESS chosen requests and then loses the answer
// (502, or a dropped connection): the ambiguous case a retry must handle without posting twice. Real sockets only.
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  url: string;
  /** requests (method + path) seen, in order */
  seen: string[];
  /** the next `count` requests matching `match` are forwarded, then answered with `mode` */
  failNext(match: (method: string, path: string) => boolean, count: number, mode: '502' | 'drop'): void;
  /** the next `count` matching requests have their JSON body rewritten before Sage sees it (a real Sage refusal) */
  rewriteNext(match: (method: string, path: string) => boolean, count: number, rewrite: (body: any) => unknown): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const t = new URL(target);
  const rules: { match: (m: string, p: string) => boolean; left: number; mode: '502' | 'drop' }[] = [];
  const rewrites: { match: (m: string, p: string) => boolean; left: number; rewrite: (body: any) => unknown }[] = [];
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const path = (req.url ?? '/').split('?')[0];
      seen.push(`${method} ${path}`);
      const rule = rules.find((r) => r.left > 0 && r.match(method, path));
      if (rule) rule.left--;
      const rw = rewrites.find((r) => r.left > 0 && r.match(method, path));
      let payload = Buffer.concat(chunks);
      if (rw) {
        rw.left--;
        payload = Buffer.from(JSON.stringify(rw.rewrite(JSON.parse(payload.toString('utf8')))));
      }
      const upstream = httpRequest(
        {
          host: t.hostname,
          port: t.port,
          method,
          path: req.url,
          headers: { ...req.headers, host: t.host, 'content-length': String(payload.length) },
        },
        (up: IncomingMessage) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            if (rule?.mode === 'drop') return req.socket.destroy();
            if (rule?.mode === '502') {
              res.writeHead(502, { 'content-type': 'application/json' });
              return res.end(JSON.stringify({ statusCode: 502, message: 'Bad Gateway' }));
            }
            res.writeHead(up.statusCode ?? 500, up.headers);
            res.end(Buffer.concat(body));
          });
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(payload);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    failNext(match, count, mode) {
      rules.push({ match, left: count, mode });
    },
    rewriteNext(match, count, rewrite) {
      rewrites.push({ match, left: count, rewrite });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
