import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { ROOT_LOGGER, keepTrying } from '@costwatch/observability';
import { MONGO_URL } from '@costwatch/mongo';
import { S3Store } from '@costwatch/s3';
import type { DaysRepository } from './days.repository';
import { BaselinesRepository } from './baselines.repository';
import { RecordsRepository } from './records.repository';
import { RollupsRepository } from './rollups.repository';
import { AGGREGATOR_DAYS, ARCHIVE_DAYS } from '../application/billing-events.port';

/** Ensures every collection's indexes and the archive bucket before consuming. */
@Injectable()
export class StorageInitializer implements OnApplicationBootstrap {
  constructor(
    private readonly records: RecordsRepository,
    private readonly rollups: RollupsRepository,
    private readonly baselines: BaselinesRepository,
    @Inject(AGGREGATOR_DAYS) private readonly aggregatorDays: DaysRepository,
    @Inject(ARCHIVE_DAYS) private readonly archiveDays: DaysRepository,
    private readonly store: S3Store,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(MONGO_URL) private readonly mongoUrl: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Apart, so each retry log names the one dependency that is unreachable.
    await Promise.all([
      keepTrying(
        'storage indexes',
        async () => {
          await Promise.all([
            this.records.ensureIndexes(),
            this.rollups.ensureIndexes(),
            this.baselines.ensureIndexes(),
            this.aggregatorDays.ensureIndexes(),
            this.archiveDays.ensureIndexes(),
          ]);
        },
        this.logger,
        { target: this.mongoUrl },
      ),
      keepTrying('archive bucket', () => this.store.ensureBucket(), this.logger, { target: this.store.location }),
    ]);
  }
}
