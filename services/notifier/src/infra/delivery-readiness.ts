import { Inject, Injectable } from '@nestjs/common';
import { connect } from 'node:net';
import { Readiness } from '@costwatch/observability';
import type { NotifierConfig } from '../config/notifier.config';

export const NOTIFIER_CONFIG = Symbol('NOTIFIER_CONFIG');

function tcpReachable(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port }, () => {
      socket.end();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** The notifier is ready when every Alertmanager answers `/-/ready` and a TCP syslog peer accepts. */
@Injectable()
export class DeliveryReadiness {
  constructor(@Inject(NOTIFIER_CONFIG) config: NotifierConfig, readiness: Readiness) {
    readiness.add({
      name: 'alertmanager',
      check: async () => {
        for (const url of config.ALERTMANAGER_URLS) {
          // Relative to the configured URL, so an Alertmanager behind a path prefix is probed there.
          const response = await fetch(new URL('-/ready', url.endsWith('/') ? url : `${url}/`), { signal: AbortSignal.timeout(1_500) });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`${url} answered ${response.status}`);
        }
      },
    });
    // UDP has no handshake to probe; TCP (and TLS) syslog must accept a connection.
    if (config.SYSLOG_PROTOCOL !== 'udp') {
      readiness.add({ name: 'syslog', target: `${config.SYSLOG_HOST}:${config.SYSLOG_PORT}`, check: () => tcpReachable(config.SYSLOG_HOST, config.SYSLOG_PORT) });
    }
  }
}
