import type { CollectorConfig } from '../config/collector.config';
import type { BillingSource } from '../domain/billing-source';
import { SyntheticSource } from '../sources/synthetic/synthetic.source';

export type SourceName = CollectorConfig['COLLECTOR_SOURCES'][number];

/** Builds a configured source by name; a source without its settings fails here, naming them. */
export function createSource(name: SourceName, config: CollectorConfig): BillingSource {
  switch (name) {
    case 'synthetic':
      return new SyntheticSource({
        seed: config.SYNTHETIC_SEED,
        start: config.SYNTHETIC_START,
        days: config.SYNTHETIC_DAYS,
        domains: config.SYNTHETIC_DOMAINS,
        projectsPerDomain: config.SYNTHETIC_PROJECTS_PER_DOMAIN,
        servicesPerProject: config.SYNTHETIC_SERVICES_PER_PROJECT,
        anomalies: config.SYNTHETIC_ANOMALIES,
      });
    case 'kakaocloud':
    case 'aws-cost-explorer':
      throw new Error(`source ${name} is not wired yet`);
  }
}
