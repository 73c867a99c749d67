import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIPv6, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { frameOctetCounting } from './rfc5424';

export interface SyslogTransportOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp' | 'tls';
  timeoutMs: number;
  /** `tls`: PEM contents; without `ca` the system's CAs are trusted. */
  tls?: { ca?: string; cert?: string; key?: string; servername?: string };
}

export interface SyslogTransport {
  send(line: string): Promise<void>;
  close(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One datagram per message. Lossy: UDP cannot tell whether anyone listened, so "sent" means
 * handed to the kernel, and lines sent while the receiver is down are lost without an error.
 */
class UdpSyslogTransport implements SyslogTransport {
  private socket: UdpSocket | undefined;

  constructor(private readonly options: SyslogTransportOptions) {}

  send(line: string): Promise<void> {
    this.socket ??= createSocket(isIPv6(this.options.host) ? 'udp6' : 'udp4').unref();
    const socket = this.socket;
    const datagram = Buffer.from(line, 'utf8');
    return withTimeout(
      new Promise<void>((resolve, reject) => socket.send(datagram, this.options.port, this.options.host, (error) => (error ? reject(error) : resolve()))),
      this.options.timeoutMs,
      'syslog udp send',
    );
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    return socket ? new Promise((resolve) => socket.close(() => resolve())) : Promise.resolve();
  }
}

/** How long a TCP transport waits before connecting again after a failure: doubling, at most this. */
export const RECONNECT_BACKOFF = { initialMs: 250, maxMs: 10_000 } as const;

/**
 * One long-lived connection, octet-counting framing (RFC 6587), so a message may contain
 * any byte. A line counts as sent only once it was written to an open connection without
 * error. A broken connection (an error, or the receiver closing it) is dropped and the next
 * send reconnects; after a failed connect the transport waits (250 ms doubling up to 10 s)
 * before trying again, and sends in between fail at once instead of each opening a
 * connection to a receiver that is down. Lines written just before the receiver dies can
 * still be lost: plain TCP syslog has no acknowledgements. With `tls` the connection is a
 * TLS session (RFC 5425) and the receiver's certificate is verified.
 */
class TcpSyslogTransport implements SyslogTransport {
  private connection: Promise<Socket> | undefined;
  private failedConnects = 0;
  private retryAt = 0;
  private lastError = '';

  constructor(
    private readonly options: SyslogTransportOptions,
    private readonly clock: () => number = Date.now,
  ) {}

  private connected(): Promise<Socket> {
    if (this.connection) return this.connection;
    const wait = this.retryAt - this.clock();
    if (wait > 0) {
      return Promise.reject(new Error(`syslog tcp ${this.options.host}:${this.options.port} unreachable (${this.lastError}); next connect in ${wait} ms`));
    }
    const { host, port, tls } = this.options;
    // RFC 5425: the same octet-counted frames inside a TLS session; the certificate is verified.
    const socket =
      this.options.protocol === 'tls'
        ? connectTls({ host, port, servername: tls?.servername ?? host, ...(tls?.ca ? { ca: tls.ca } : {}), ...(tls?.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}) })
        : connect({ host, port });
    socket.setNoDelay(true);
    socket.on('error', () => this.forget(socket));
    // The receiver closed its side (it stopped, or dropped us): the next line reconnects.
    socket.on('end', () => this.forget(socket));
    socket.on('close', () => this.forget(socket));
    const connection = withTimeout(
      new Promise<Socket>((resolve, reject) => {
        socket.once(this.options.protocol === 'tls' ? 'secureConnect' : 'connect', () => resolve(socket));
        socket.once('error', reject);
      }),
      this.options.timeoutMs,
      `syslog ${this.options.protocol} connect`,
    );
    this.connection = connection;
    connection.then(
      () => (this.failedConnects = 0),
      (error: unknown) => {
        socket.destroy();
        if (this.connection === connection) this.connection = undefined;
        this.lastError = error instanceof Error ? error.message : String(error);
        this.retryAt = this.clock() + Math.min(RECONNECT_BACKOFF.maxMs, RECONNECT_BACKOFF.initialMs * 2 ** Math.min(this.failedConnects, 10));
        this.failedConnects += 1;
      },
    );
    return connection;
  }

  private forget(socket: Socket): void {
    void this.connection?.then(
      (current) => {
        if (current === socket) this.connection = undefined;
      },
      () => undefined,
    );
    socket.destroy();
  }

  async send(line: string): Promise<void> {
    const socket = await this.connected();
    try {
      if (!socket.writable) throw new Error('syslog tcp connection closed by the receiver');
      await withTimeout(
        new Promise<void>((resolve, reject) => socket.write(frameOctetCounting(line), (error) => (error ? reject(error) : resolve()))),
        this.options.timeoutMs,
        'syslog tcp write',
      );
    } catch (error) {
      this.forget(socket);
      throw error;
    }
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    const socket = await connection?.catch(() => undefined);
    if (socket && !socket.destroyed) await new Promise<void>((resolve) => socket.end(() => resolve()));
  }
}

export function createSyslogTransport(options: SyslogTransportOptions, clock: () => number = Date.now): SyslogTransport {
  return options.protocol === 'udp' ? new UdpSyslogTransport(options) : new TcpSyslogTransport(options, clock);
}
