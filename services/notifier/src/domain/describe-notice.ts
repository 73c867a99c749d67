import type { Anomaly } from '@costwatch/contracts';
import { contributorsText } from './alert-identity';
import type { Notice } from './notice';

function ratioText(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(2);
}

function seriesText(anomaly: Anomaly): string {
  const { serviceName, serviceId, projectId, domainId } = anomaly.series;
  const daily =
    anomaly.granularity === 'daily'
      ? `, daily total of ${anomaly.window.start.slice(0, 10)}`
      : anomaly.granularity === 'rolling-24h'
        ? `, 24 hours to ${anomaly.window.end.slice(0, 13).replace('T', ' ')}:00 UTC`
        : '';
  return `${serviceName} (${serviceId}) in project ${projectId} / domain ${domainId}${daily}`;
}

/** One line for humans: what happened, to what, how bad. Used as summary by every channel. */
export function noticeSummary(notice: Notice): string {
  const { anomaly } = notice;
  if (anomaly.kind === 'collection-gap') {
    const what = `domain ${anomaly.series.domainId} sent no billing data for ${anomaly.window.start.slice(0, 10)} to ${anomaly.window.end.slice(0, 10)} (${anomaly.rule})`;
    return notice.kind === 'resolved' ? `Resolved: billing data for ${what.replace(' sent no billing data', ' arrived')}` : `Collection gap: ${what}`;
  }
  const money = `${anomaly.observed} ${anomaly.series.currency} vs expected ${anomaly.expected} ${anomaly.series.currency}`;
  switch (notice.kind) {
    case 'firing':
      return `${notice.flapEnded ? 'Stable again and still anomalous' : 'Cost anomaly'} (${notice.severity}): ${seriesText(anomaly)}: ${money}`;
    case 'escalated':
      return `Cost anomaly escalated to ${notice.severity}: ${seriesText(anomaly)}: ${money}`;
    case 'repeat':
      return `Cost anomaly still firing (${notice.severity}): ${seriesText(anomaly)}: ${money}`;
    case 'resolved':
      return `Resolved${notice.flapEnded ? ' (stable again)' : ''}: cost of ${seriesText(anomaly)} is back to normal (${money})`;
    case 'flapping':
      return `Cost anomaly flapping (${notice.severity}): ${seriesText(anomaly)} keeps starting and stopping; further changes are suppressed until it is stable`;
  }
}

/** The detail: the numbers, the rule, the window and the baseline behind the decision. */
export function noticeDescription(notice: Notice): string {
  const { anomaly } = notice;
  const contributors = contributorsText(anomaly, 3);
  return [
    `Observed ${anomaly.observed} ${anomaly.series.currency} against an expected ${anomaly.expected} ${anomaly.series.currency}`,
    `(ratio ${ratioText(anomaly.ratio)}, z ${ratioText(anomaly.z)}) for ${anomaly.window.start} to ${anomaly.window.end}`,
    `by rule ${anomaly.rule}; baseline of ${anomaly.baselineWindow.count} points from ${anomaly.baselineWindow.from} to ${anomaly.baselineWindow.to}.`,
    ...(contributors ? [`Top contributors: ${contributors}.`] : []),
    `Anomaly ${anomaly.anomalyId}.`,
  ].join(' ');
}
