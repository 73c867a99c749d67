import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postJson } from './post-json';

describe('postJson', () => {
  let server: Server;
  let base: string;
  const received: Array<{ url: string | undefined; body: string; headers: Record<string, unknown> }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ url: req.url, body, headers: req.headers });
        if (req.url?.startsWith('/fail')) res.writeHead(503).end('try later');
        else if (req.url?.startsWith('/slow')) setTimeout(() => res.writeHead(200).end(), 500);
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('posts JSON with the extra headers', async () => {
    await postJson(`${base}/hook/T000/SECRET`, { a: 1 }, 1_000, { 'idempotency-key': 'n1' });
    expect(received.at(-1)).toMatchObject({ url: '/hook/T000/SECRET', body: '{"a":1}', headers: { 'content-type': 'application/json', 'idempotency-key': 'n1' } });
  });

  it('fails on a non-2xx answer, quoting the status and body but never the URL', async () => {
    await expect(postJson(`${base}/fail/SECRET`, {}, 1_000)).rejects.toThrow(/^HTTP 503: try later$/);
  });

  it('fails on a timeout and on a refused connection, without the URL', async () => {
    await expect(postJson(`${base}/slow/SECRET`, {}, 50)).rejects.toThrow(/^no answer within 50 ms$/);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    await expect(postJson(`http://127.0.0.1:${port}/SECRET`, {}, 1_000)).rejects.toThrow(/^connection failed \(ECONNREFUSED\)$/);
  });
});
