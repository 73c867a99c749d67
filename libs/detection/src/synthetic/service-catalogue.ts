import type { SeriesArchetype } from './synthetic-billing.types';

export interface CatalogueService {
  readonly id: string;
  readonly name: string;
}

/**
 * Services a cloud bill typically shows, by how their cost behaves. A series draws its
 * archetype first and then a service that plausibly behaves that way, so names read right.
 */
export const SERVICE_CATALOGUE: Readonly<Record<SeriesArchetype, readonly CatalogueService[]>> = {
  'always-on': [
    { id: 'virtual-machine', name: 'Virtual Machine' },
    { id: 'kubernetes-engine', name: 'Kubernetes Engine' },
    { id: 'object-storage', name: 'Object Storage' },
    { id: 'block-storage', name: 'Block Storage' },
    { id: 'mysql', name: 'MySQL' },
    { id: 'postgresql', name: 'PostgreSQL' },
    { id: 'load-balancer', name: 'Load Balancer' },
    { id: 'kafka', name: 'Managed Kafka' },
    { id: 'monitoring', name: 'Monitoring' },
    { id: 'cdn', name: 'CDN' },
  ],
  intermittent: [
    { id: 'dev-environment', name: 'Dev Environment' },
    { id: 'gpu', name: 'GPU Instance' },
    { id: 'ci-runners', name: 'CI Runners' },
    { id: 'notebooks', name: 'Managed Notebooks' },
  ],
  'nightly-batch': [
    { id: 'backup', name: 'Backup' },
    { id: 'data-warehouse', name: 'Data Warehouse ETL' },
  ],
  'weekday-batch': [
    { id: 'report-jobs', name: 'Report Jobs' },
    { id: 'test-environment', name: 'Test Environment' },
  ],
  spot: [
    { id: 'spot-compute', name: 'Spot Compute' },
    { id: 'spot-gpu', name: 'Spot GPU' },
  ],
  'heavy-tailed': [
    { id: 'data-transfer', name: 'Data Transfer' },
    { id: 'api-gateway', name: 'API Gateway' },
    { id: 'log-ingestion', name: 'Log Ingestion' },
  ],
};

/** How often each archetype is drawn for a usage series. */
export const ARCHETYPE_WEIGHTS: ReadonlyArray<readonly [SeriesArchetype, number]> = [
  ['always-on', 0.42],
  ['intermittent', 0.18],
  ['nightly-batch', 0.1],
  ['weekday-batch', 0.08],
  ['spot', 0.1],
  ['heavy-tailed', 0.12],
];
