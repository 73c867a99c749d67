import { Inject, Injectable } from '@nestjs/common';
import type { DayClosed } from '@costwatch/contracts';
import { JudgeDailyTotalsUseCase } from './judge-daily-totals.use-case';
import { JudgeSnapshotsUseCase } from './judge-snapshots.use-case';
import { CLOSED_DAYS, type ClosedDays } from './ports';

/**
 * billing.day-closed.v1: the day's baselines are written. The day is recorded as closed
 * (which makes the baselines as of the next day final), the domains that sent nothing are
 * judged for collection gaps, and the hours waiting for those baselines are judged now.
 */
@Injectable()
export class DayClosedUseCase {
  constructor(
    @Inject(CLOSED_DAYS) private readonly closedDays: ClosedDays,
    private readonly daily: JudgeDailyTotalsUseCase,
    private readonly hourly: JudgeSnapshotsUseCase,
  ) {}

  async execute(day: DayClosed): Promise<void> {
    await this.closedDays.markClosed(day.date);
    await this.daily.dayClosed(day);
    await this.hourly.recheckPending();
  }
}
