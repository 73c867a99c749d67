import type { QuietPolicy } from '../domain/delivery-plan';
import type { NotificationPolicy } from '../domain/notification-policy';

/** The suppression rules in force (from the config). */
export interface NotificationSettings {
  policy: NotificationPolicy;
  quiet: QuietPolicy;
}
