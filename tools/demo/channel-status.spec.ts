import { createServer, type AddressInfo, type Server } from 'node:net';
import { describeChannels, parseDeliveryFailures, probeSyslog, readAlertmanager, type ChannelProbe } from './channel-status';

const up = (where: string): ChannelProbe => ({ up: true, where });
const down = (where: string, reason: string): ChannelProbe => ({ up: false, where, reason });

describe('the demo summary’s channels', () => {
  it('says nothing is wrong when both channels are up and nothing failed during the run', () => {
    const report = describeChannels({ alertmanager: up('http://am:9093'), syslog: up('127.0.0.1:514 (tcp)') }, { alertmanager: 3, syslog: 0 }, { alertmanager: 3, syslog: 0 });
    expect(report.trouble).toEqual([]);
    expect(report.lines).toEqual(['  Alertmanager  up at http://am:9093; 0 failed delivery attempts this run', '  syslog        up at 127.0.0.1:514 (tcp); 0 failed delivery attempts this run']);
  });

  it('names a channel that is down, and why', () => {
    const report = describeChannels({ alertmanager: down('http://am:9093', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9093'), syslog: up('127.0.0.1:514 (tcp)') }, {}, { alertmanager: 12 });
    expect(report.trouble).toEqual(['Alertmanager is down (http://am:9093: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9093)']);
    expect(report.lines[0]).toBe('  Alertmanager  DOWN at http://am:9093: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9093; 12 failed delivery attempts this run');
  });

  it('names a channel that is back up but failed deliveries during the run', () => {
    const report = describeChannels({ alertmanager: up('http://am:9093'), syslog: up('127.0.0.1:514 (tcp)') }, { syslog: 2 }, { syslog: 9 });
    expect(report.trouble).toEqual(['syslog failed 7 deliveries during the run']);
  });

  it('says when the failures cannot be known (the notifier’s metrics did not answer)', () => {
    const report = describeChannels({ alertmanager: up('http://am:9093'), syslog: down('127.0.0.1:514 (tcp)', 'ECONNREFUSED') }, undefined, undefined);
    expect(report.trouble).toEqual(['syslog is down (127.0.0.1:514 (tcp): ECONNREFUSED)']);
    expect(report.lines[1]).toContain('delivery failures unknown');
  });

  it('reads the failure counters per channel from the notifier’s metrics', () => {
    const metrics = [
      '# HELP costwatch_notification_delivery_failures_total Failed deliveries.',
      'costwatch_notification_delivery_failures_total{channel="alertmanager",service="notifier"} 4',
      'costwatch_notification_delivery_failures_total{channel="syslog",service="notifier"} 0',
      'costwatch_notifications_sent_total{channel="syslog",service="notifier"} 10',
    ].join('\n');
    expect(parseDeliveryFailures(metrics)).toEqual({ alertmanager: 4, syslog: 0 });
  });

  describe('probes', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((socket) => socket.end());
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    /** A port nothing listens on: one that was just free. */
    const closedPort = async (): Promise<number> => {
      const probe = createServer();
      await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
      const free = (probe.address() as AddressInfo).port;
      await new Promise<void>((done) => probe.close(() => done()));
      return free;
    };

    it('syslog over TCP: up when it takes a connection, down naming the refusal otherwise; UDP is not probed', async () => {
      expect(await probeSyslog('127.0.0.1', port, 'tcp')).toEqual({ up: true, where: `127.0.0.1:${port} (tcp)` });
      const closed = await closedPort();
      expect(await probeSyslog('127.0.0.1', closed, 'tcp')).toEqual({ up: false, where: `127.0.0.1:${closed} (tcp)`, reason: expect.stringContaining('ECONNREFUSED') });
      expect((await probeSyslog('127.0.0.1', closed, 'udp')).up).toBe(true);
    });

    it('Alertmanager: down naming why, with no alerts, instead of failing', async () => {
      const closed = await closedPort();
      const result = await readAlertmanager(`http://127.0.0.1:${closed}`, 'alertname="X"');
      expect(result.alerts).toEqual([]);
      expect(result.probe).toEqual({ up: false, where: `http://127.0.0.1:${closed}`, reason: expect.stringContaining('ECONNREFUSED') });
    });
  });
});
