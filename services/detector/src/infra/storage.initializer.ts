import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { MONGO_URL } from '@costwatch/mongo';
import { ROOT_LOGGER, keepTrying } from '@costwatch/observability';
import { AnomaliesRepository } from './anomalies.repository';
import { SeriesStateRepository } from './series-state.repository';

/** Ensures the detector's indexes before consuming. */
@Injectable()
export class StorageInitializer implements OnApplicationBootstrap {
  constructor(
    private readonly anomalies: AnomaliesRepository,
    private readonly states: SeriesStateRepository,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    @Inject(MONGO_URL) private readonly mongoUrl: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await keepTrying('detector indexes', () => Promise.all([this.anomalies.ensureIndexes(), this.states.ensureIndexes()]).then(() => undefined), this.logger, { target: this.mongoUrl });
  }
}
