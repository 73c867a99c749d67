import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createSyslogTransport } from './syslog-transport';

describe('TCP syslog transport', () => {
  let server: Server;
  let port: number;
  const received: Buffer[] = [];
  const connections: Socket[] = [];

  beforeAll(async () => {
    server = createServer((socket) => {
      connections.push(socket);
      socket.on('data', (chunk) => received.push(chunk));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of connections) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('frames messages with octet counting on one connection, and reconnects after the peer closes it', async () => {
    const transport = createSyslogTransport({ host: '127.0.0.1', port, protocol: 'tcp', timeoutMs: 1_000 });
    await transport.send('<134>1 - - - - - - first');
    await transport.send('<134>1 - - - - - - 가');
    await until(() => Buffer.concat(received).length >= 49);
    // The length is in bytes: "가" is three.
    expect(Buffer.concat(received).toString()).toBe('24 <134>1 - - - - - - first22 <134>1 - - - - - - 가');
    expect(connections).toHaveLength(1);

    connections[0]!.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await transport.send('<134>1 - - - - - - again');
    await until(() => connections.length === 2 && Buffer.concat(received).toString().endsWith('again'));
    expect(connections).toHaveLength(2);
    await transport.close();
  });

  it('fails, within its timeout, when nobody listens', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const transport = createSyslogTransport({ host: '127.0.0.1', port: closed, protocol: 'tcp', timeoutMs: 1_000 });
    await expect(transport.send('x')).rejects.toThrow(/ECONNREFUSED/);
    await transport.close();
  });

  it('after a failed connect, waits before connecting again (sends in between fail at once), then delivers', async () => {
    const clock = { now: 0 };
    const lines: string[] = [];
    const late = createServer((socket) => socket.on('data', (chunk) => lines.push(chunk.toString())));
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const transport = createSyslogTransport({ host: '127.0.0.1', port: closed, protocol: 'tcp', timeoutMs: 1_000 }, () => clock.now);
    await expect(transport.send('one')).rejects.toThrow(/ECONNREFUSED/);
    // The receiver comes back, but the transport does not try before its backoff is over.
    await new Promise<void>((resolve) => late.listen(closed, '127.0.0.1', resolve));
    await expect(transport.send('two')).rejects.toThrow(/unreachable \(.*ECONNREFUSED.*\); next connect in 250 ms/);
    clock.now += 250;
    await transport.send('three');
    await until(() => lines.join('').length > 0);
    expect(lines.join('')).toBe('5 three');
    await transport.close();
    await new Promise((resolve) => late.close(resolve));
  });

  it('a line sent after the receiver stopped fails instead of vanishing into the closed connection', async () => {
    const lines: string[] = [];
    const sockets: Socket[] = [];
    const receiver = createServer((socket) => {
      sockets.push(socket);
      socket.on('data', (chunk) => lines.push(chunk.toString()));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port: p } = receiver.address() as AddressInfo;
    const transport = createSyslogTransport({ host: '127.0.0.1', port: p, protocol: 'tcp', timeoutMs: 1_000 });
    await transport.send('a');
    // The receiver stops: its connections close and nobody listens any more.
    await new Promise<void>((resolve) => {
      receiver.close(() => resolve());
      for (const socket of sockets) socket.end();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(transport.send('b')).rejects.toThrow(/ECONNREFUSED/);
    expect(lines.join('')).toBe('1 a');
    await transport.close();
  });
});

describe('TLS syslog transport (RFC 5425)', () => {
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 100 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  };

  it('sends octet-counted frames inside a TLS session to a receiver whose certificate it trusts, and refuses one it does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syslog-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const [cert, key] = [readFileSync(join(dir, 'cert.pem'), 'utf8'), readFileSync(join(dir, 'key.pem'), 'utf8')];
    const received: string[] = [];
    const accepted: Socket[] = [];
    const server = createTlsServer({ cert, key }, (socket) => {
      accepted.push(socket);
      socket.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port: p } = server.address() as AddressInfo;

    const trusting = createSyslogTransport({ host: '127.0.0.1', port: p, protocol: 'tls', timeoutMs: 2_000, tls: { ca: cert, servername: 'localhost' } });
    await trusting.send('<134>1 - - - - - - over tls');
    await until(() => received.join('').length >= 30);
    expect(received.join('')).toBe('27 <134>1 - - - - - - over tls');
    await trusting.close();

    const untrusting = createSyslogTransport({ host: '127.0.0.1', port: p, protocol: 'tls', timeoutMs: 2_000, tls: { servername: 'localhost' } });
    await expect(untrusting.send('x')).rejects.toThrow(/self-signed|self signed/);
    await untrusting.close();
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('UDP syslog transport', () => {
  it('sends one datagram per message, unframed', async () => {
    const receiver = createSocket('udp4');
    const datagrams: string[] = [];
    receiver.on('message', (message) => datagrams.push(message.toString()));
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    const transport = createSyslogTransport({ host: '127.0.0.1', port: receiver.address().port, protocol: 'udp', timeoutMs: 1_000 });
    await transport.send('<134>1 - - - - - - one');
    await transport.send('<134>1 - - - - - - two');
    for (let i = 0; i < 100 && datagrams.length < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(datagrams).toEqual(['<134>1 - - - - - - one', '<134>1 - - - - - - two']);
    await transport.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
});
