import type { DailyTotal } from '@costwatch/contracts';
import type { DailyDocument } from '../infra/rollups.repository';

export function toDailyTotal(doc: DailyDocument): DailyTotal {
  return {
    date: doc.date,
    domainId: doc.domainId,
    projectId: doc.projectId,
    serviceId: doc.serviceId,
    serviceName: doc.serviceName,
    currency: doc.currency,
    amount: doc.amount,
    recordCount: doc.recordCount,
  };
}
