import { anomalyFixture } from '../testing/anomaly.fixture';
import { ALERT_NAME, GAP_ALERT_NAME, alertLabels, fingerprint, matchableLabels } from './alert-identity';

describe('alert identity', () => {
  it('labels carry alertname, domain, project, service, rule, granularity, incident and severity only', () => {
    expect(alertLabels(anomalyFixture())).toEqual({
      alertname: ALERT_NAME,
      domain: 'dom-1',
      project: 'proj-1',
      service: 'compute',
      rule: 'zscore',
      granularity: 'hourly',
      incident: 'dom-1@2026-11-01',
      severity: 'warning',
    });
    expect(alertLabels(anomalyFixture(), 'critical').severity).toBe('critical');
  });

  it('a collection gap is a BillingCollectionGap alert; a daily judgement is labelled daily and is a stream of its own', () => {
    expect(alertLabels(anomalyFixture({ kind: 'collection-gap', granularity: 'daily' }))).toMatchObject({ alertname: GAP_ALERT_NAME, granularity: 'daily' });
    expect(fingerprint(anomalyFixture({ granularity: 'daily' }))).not.toBe(fingerprint(anomalyFixture()));
    expect(fingerprint(anomalyFixture({ kind: 'collection-gap' }))).not.toBe(fingerprint(anomalyFixture()));
  });

  it('silences can also match the display name and currency', () => {
    expect(matchableLabels(anomalyFixture())).toMatchObject({ service_name: 'Virtual Machine', currency: 'USD', service: 'compute' });
  });

  it('the fingerprint ignores severity, state, anomaly id and amounts', () => {
    const base = fingerprint(anomalyFixture());
    expect(fingerprint(anomalyFixture({ severity: 'critical', state: 'resolved', anomalyId: 'other', observed: '1' }))).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['domain', { series: { domainId: 'dom-2' } }],
    ['project', { series: { projectId: 'proj-2' } }],
    ['service', { series: { serviceId: 'storage' } }],
    ['rule', { rule: 'ratio' }],
  ])('changes with the %s', (_label, patch) => {
    expect(fingerprint(anomalyFixture(patch))).not.toBe(fingerprint(anomalyFixture()));
  });

  it('cannot be made to collide by moving a separator between parts', () => {
    const a = anomalyFixture({ series: { domainId: 'a|b', projectId: 'c' } });
    const b = anomalyFixture({ series: { domainId: 'a', projectId: 'b|c' } });
    expect(fingerprint(a)).not.toBe(fingerprint(b));
  });
});
