import { Socket } from 'node:net';

/** Whether a delivery channel answered when the summary was written, and why not. */
export type ChannelProbe = { up: true; where: string } | { up: false; where: string; reason: string };

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  startsAt: string;
}

const PROBE_TIMEOUT_MS = 5_000;

/** The innermost cause's code and message ("fetch failed" alone says nothing). */
const reasonOf = (error: unknown): string => {
  const hasCause = (e: unknown): e is { cause: unknown } => typeof e === 'object' && e !== null && 'cause' in e && e.cause !== undefined;
  const inner = hasCause(error) ? error.cause : error;
  const { code, message } = (typeof inner === 'object' && inner !== null ? inner : { message: String(inner) }) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message.length > 0 ? message : String(inner);
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
};

/** Alertmanager's active alerts matching `filter`, or why they could not be read. */
export async function readAlertmanager(url: string, filter: string): Promise<{ probe: ChannelProbe; alerts: AlertmanagerAlert[] }> {
  const where = url;
  try {
    const response = await fetch(`${url}/api/v2/alerts?active=true&filter=${encodeURIComponent(filter)}`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return { probe: { up: false, where, reason: `HTTP ${response.status}` }, alerts: [] };
    return { probe: { up: true, where }, alerts: (await response.json()) as AlertmanagerAlert[] };
  } catch (error) {
    return { probe: { up: false, where, reason: reasonOf(error) }, alerts: [] };
  }
}

/** Whether the syslog receiver takes a TCP connection (the notifier's default transport). UDP cannot be probed: a datagram is never refused. */
export function probeSyslog(host: string, port: number, protocol: 'tcp' | 'tls' | 'udp'): Promise<ChannelProbe> {
  const where = `${host}:${port} (${protocol})`;
  if (protocol === 'udp') return Promise.resolve({ up: true, where: `${where}, not probed: UDP is lossy and never refuses` });
  return new Promise((done) => {
    const socket = new Socket();
    const finish = (probe: ChannelProbe) => {
      socket.destroy();
      done(probe);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => finish({ up: false, where, reason: `no answer within ${PROBE_TIMEOUT_MS / 1000} s` }));
    socket.once('error', (error) => finish({ up: false, where, reason: reasonOf(error) }));
    socket.connect(port, host, () => finish({ up: true, where }));
  });
}

/** `costwatch_notification_delivery_failures_total` per channel from the notifier's /metrics, or undefined when it cannot be read. */
export async function deliveryFailures(metricsUrl: string): Promise<Record<string, number> | undefined> {
  try {
    const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    if (!response.ok) return undefined;
    return parseDeliveryFailures(await response.text());
  } catch {
    return undefined;
  }
}

export function parseDeliveryFailures(metrics: string): Record<string, number> {
  const failures: Record<string, number> = {};
  for (const line of metrics.split('\n')) {
    if (!line.startsWith('costwatch_notification_delivery_failures_total{')) continue;
    const channel = /channel="([^"]+)"/.exec(line)?.[1];
    if (channel !== undefined) failures[channel] = (failures[channel] ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return failures;
}

export interface ChannelReport {
  /** Channels down now or failing during the run, named for the headline; empty when all went well. */
  trouble: string[];
  /** One line per channel. */
  lines: string[];
}

/**
 * What the summary says about the channels: each one's state now and the delivery failures
 * the notifier counted during this run (a channel can be back up by the end and still have
 * lost time). `before`/`after` are the failure counters at the start and the end of the run.
 */
export function describeChannels(probes: { alertmanager: ChannelProbe; syslog: ChannelProbe }, before: Record<string, number> | undefined, after: Record<string, number> | undefined): ChannelReport {
  const trouble: string[] = [];
  const lines: string[] = [];
  for (const [name, label] of [
    ['alertmanager', 'Alertmanager'],
    ['syslog', 'syslog'],
  ] as const) {
    const probe = probes[name];
    const failed = after === undefined ? undefined : (after[name] ?? 0) - (before?.[name] ?? 0);
    const failures = failed === undefined ? 'delivery failures unknown (the notifier’s /metrics did not answer)' : `${failed} failed delivery attempts this run`;
    if (!probe.up) {
      trouble.push(`${label} is down (${probe.where}: ${probe.reason})`);
      lines.push(`  ${label.padEnd(13)} DOWN at ${probe.where}: ${probe.reason}; ${failures}`);
    } else {
      if (failed !== undefined && failed > 0) trouble.push(`${label} failed ${failed} deliveries during the run`);
      lines.push(`  ${label.padEnd(13)} up at ${probe.where}; ${failures}`);
    }
  }
  return { trouble, lines };
}
