import { ConfigError } from '@costwatch/config';
import type { CollectorCliConfig } from '../config/collector.config';
import type { BillingSource } from '../domain/billing-source';
import { AwsCostExplorerSource, KakaoCloudBillingSource } from '../sources';
import { SyntheticSource } from '../sources/synthetic/synthetic.source';

export type SourceName = CollectorCliConfig['COLLECTOR_SOURCES'][number];

function requireSetting<K extends keyof CollectorCliConfig>(config: CollectorCliConfig, name: K, source: string): NonNullable<CollectorCliConfig[K]> {
  const value = config[name];
  if (value === undefined || value === null) throw new ConfigError([{ setting: String(name), problem: `is required for the ${source} source` }]);
  return value as NonNullable<CollectorCliConfig[K]>;
}

/** Builds a configured source by name; a source without its settings fails here, naming them. */
export function createSource(name: SourceName, config: CollectorCliConfig): BillingSource {
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
      return new KakaoCloudBillingSource({
        baseUrl: requireSetting(config, 'KAKAOCLOUD_BASE_URL', name),
        credentialId: requireSetting(config, 'KAKAOCLOUD_CREDENTIAL_ID', name),
        credentialSecret: requireSetting(config, 'KAKAOCLOUD_CREDENTIAL_SECRET', name),
      });
    case 'aws-cost-explorer':
      return new AwsCostExplorerSource({
        accounts: requireSetting(config, 'AWS_CE_ACCOUNTS', name),
        metric: config.AWS_CE_METRIC,
        groupByLinkedAccount: config.AWS_CE_GROUP_BY_LINKED_ACCOUNT,
      });
  }
}
