import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * A registry per service instance, never prom-client's global one: two services (or two
 * tests) in one process must not share counters. Default process metrics (RSS, event-loop
 * lag, GC) are collected into it with the `service` label.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'costwatch_' });
  return registry;
}
