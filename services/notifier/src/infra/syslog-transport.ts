import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, isIPv6, type Socket } from 'node:net';
import { frameOctetCounting } from './rfc5424';

export interface SyslogTransportOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  timeoutMs: number;
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

/** One datagram per message. UDP cannot tell whether anyone listened: "sent" means handed to the kernel. */
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

/**
 * One long-lived connection, octet-counting framing (RFC 6587), so a message may contain
 * any byte. A broken connection is dropped and the next send reconnects.
 */
class TcpSyslogTransport implements SyslogTransport {
  private connection: Promise<Socket> | undefined;

  constructor(private readonly options: SyslogTransportOptions) {}

  private connected(): Promise<Socket> {
    this.connection ??= withTimeout(
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ host: this.options.host, port: this.options.port });
        socket.setNoDelay(true);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
        socket.on('error', () => this.forget(socket));
        socket.on('close', () => this.forget(socket));
      }),
      this.options.timeoutMs,
      'syslog tcp connect',
    );
    this.connection.catch(() => (this.connection = undefined));
    return this.connection;
  }

  private forget(socket: Socket): void {
    void this.connection?.then((current) => {
      if (current === socket) this.connection = undefined;
    }, () => undefined);
    socket.destroy();
  }

  async send(line: string): Promise<void> {
    const socket = await this.connected();
    try {
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
    if (socket) await new Promise<void>((resolve) => socket.end(() => resolve()));
  }
}

export function createSyslogTransport(options: SyslogTransportOptions): SyslogTransport {
  return options.protocol === 'tcp' ? new TcpSyslogTransport(options) : new UdpSyslogTransport(options);
}
