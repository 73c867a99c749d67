/**
 * Turns per-point verdicts into the alerts an operator would receive. Anomalous points belong
 * to one alert while each follows the previous anomalous point within `cooldownMs` (at least
 * one sampling step, so an unbroken run is always one alert); after a quiet gap longer than
 * that, the next anomalous point raises a new alert. This mirrors a notifier that keeps an
 * alert firing until the series has been normal for a while, and it is what both the event-wise
 * metrics and the NAB score count: one detection per alert, at its first point.
 */
export function alertOnsets(
  timestamps: ArrayLike<number>,
  anomalous: ArrayLike<number>,
  cooldownMs: number,
  stepMs: number,
): number[] {
  const gap = Math.max(cooldownMs, stepMs);
  const onsets: number[] = [];
  let lastAnomalousMs = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < anomalous.length; i++) {
    if ((anomalous[i] as number) === 0) continue;
    const t = timestamps[i] as number;
    if (t - lastAnomalousMs > gap) onsets.push(i);
    lastAnomalousMs = t;
  }
  return onsets;
}
