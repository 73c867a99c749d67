import type { Anomaly } from '@costwatch/contracts';
import type { ChannelMemory } from '../domain/delivery-plan';
import type { Notice } from '../domain/notice';
import type { SeriesMemory } from '../domain/notification-policy';

/** `pending`: deliver now; `held`: wait for the quiet hours to end; `delivered`: done. */
export type OutboxStatus = 'pending' | 'held' | 'delivered';

/**
 * The delivery record of the latest notice: one status per destination, so a redelivered
 * message (or the sweep) only sends to the destinations that have not got it. Whoever
 * delivers holds a lease, so two notifier instances never send the same notice twice.
 */
export interface Outbox {
  noticeId: string;
  /** The event that caused the notice (absent for notices the sweep decides). */
  eventId?: string;
  status: Record<string, OutboxStatus>;
  leaseOwner?: string;
  /** Epoch ms. */
  leaseUntil?: number;
  createdAt: number;
}

/** Everything stored for one alert stream (one `notification_state` document). */
export interface SeriesRecord {
  fingerprint: string;
  /** Optimistic-concurrency version; 0 for a record not stored yet. */
  version: number;
  memory: SeriesMemory;
  /** The latest anomaly event payload seen (the sweep renders from it). */
  anomaly: Anomaly;
  /** The latest notice decided. */
  notice?: Notice;
  outbox?: Outbox;
  /** What each destination was last given. */
  channels: Record<string, ChannelMemory>;
}

export function keysWithStatus(outbox: Outbox | undefined, status: OutboxStatus): string[] {
  return Object.entries(outbox?.status ?? {})
    .filter(([, value]) => value === status)
    .map(([key]) => key);
}

export function leasedByOther(outbox: Outbox, owner: string, now: number): boolean {
  return outbox.leaseOwner !== undefined && outbox.leaseOwner !== owner && (outbox.leaseUntil ?? 0) > now;
}
