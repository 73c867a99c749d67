import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { MongoClient, type Db } from 'mongodb';
import type { Logger } from 'pino';
import { ROOT_LOGGER, Readiness, keepTrying } from '@costwatch/observability';

export const MONGO_DB = Symbol('MONGO_DB');
/** The configured URL (with any credentials): for naming the database, redacted, in readiness and retry logs. */
export const MONGO_URL = Symbol('MONGO_URL');

/**
 * Connects the client at startup, retrying until the database answers. The driver's own
 * connect-on-first-use gives up for good when that first attempt fails (every later
 * operation fails with "Topology is closed"), so a service started while MongoDB was down
 * would never recover; an explicit `connect()` after a failure starts over.
 */
@Injectable()
class MongoLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly abort = new AbortController();

  constructor(
    private readonly client: MongoClient,
    @Inject(MONGO_DB) db: Db,
    @Inject(MONGO_URL) private readonly url: string,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
    readiness: Readiness,
  ) {
    readiness.add({
      name: 'mongo',
      target: url,
      check: async () => {
        await client.connect(); // a no-op once connected
        await db.command({ ping: 1 });
      },
    });
  }

  onApplicationBootstrap(): void {
    void keepTrying('mongo', () => this.client.connect().then(() => undefined), this.logger, { signal: this.abort.signal, target: this.url });
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.client.close();
  }
}

/**
 * A MongoClient per service, connected (and reconnected after a failed start) by
 * MongoLifecycle, so an unreachable database shows as readiness false, not a crash, and the
 * service recovers once it answers.
 */
@Module({})
export class MongoModule {
  static forRoot(options: { url: string; db: string }): DynamicModule {
    return {
      module: MongoModule,
      global: true,
      providers: [
        {
          provide: MongoClient,
          useFactory: () =>
            new MongoClient(options.url, { useBigInt64: true, ignoreUndefined: true, serverSelectionTimeoutMS: 5_000, appName: 'costwatch' }),
        },
        { provide: MONGO_DB, useFactory: (client: MongoClient) => client.db(options.db), inject: [MongoClient] },
        { provide: MONGO_URL, useValue: options.url },
        MongoLifecycle,
      ],
      exports: [MongoClient, MONGO_DB, MONGO_URL],
    };
  }
}
