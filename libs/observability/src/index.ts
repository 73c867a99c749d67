export * from './logging/create-logger';
export * from './logging/redaction';
export * from './metrics/create-registry';
export * from './metrics/job-metrics';
export * from './health/readiness';
export * from './observability.module';
export * from './lifecycle/keep-trying';
export * from './bootstrap-service';
