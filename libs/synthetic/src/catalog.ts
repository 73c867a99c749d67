/** Service names a cloud bill typically shows, with a typical hourly cost scale (USD). */
export const SERVICE_CATALOG: ReadonlyArray<{ id: string; name: string; scale: number; businessHours: number }> = [
  { id: 'virtual-machine', name: 'Virtual Machine', scale: 40, businessHours: 0.5 },
  { id: 'kubernetes-engine', name: 'Kubernetes Engine', scale: 25, businessHours: 0.4 },
  { id: 'object-storage', name: 'Object Storage', scale: 6, businessHours: 0.05 },
  { id: 'block-storage', name: 'Block Storage', scale: 8, businessHours: 0 },
  { id: 'mysql', name: 'MySQL', scale: 12, businessHours: 0.2 },
  { id: 'postgresql', name: 'PostgreSQL', scale: 10, businessHours: 0.2 },
  { id: 'load-balancer', name: 'Load Balancer', scale: 3, businessHours: 0.3 },
  { id: 'cdn', name: 'CDN', scale: 5, businessHours: 0.6 },
  { id: 'data-transfer', name: 'Data Transfer', scale: 4, businessHours: 0.7 },
  { id: 'kafka', name: 'Managed Kafka', scale: 9, businessHours: 0.1 },
  { id: 'gpu', name: 'GPU Instance', scale: 90, businessHours: 0.3 },
  { id: 'monitoring', name: 'Monitoring', scale: 1.5, businessHours: 0.1 },
];
