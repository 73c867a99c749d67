import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MongoClient, type Db } from 'mongodb';
import { Readiness } from '@costwatch/observability';

export const MONGO_DB = Symbol('MONGO_DB');

@Injectable()
class MongoLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly client: MongoClient,
    @Inject(MONGO_DB) db: Db,
    readiness: Readiness,
  ) {
    readiness.add({ name: 'mongo', check: async () => void (await db.command({ ping: 1 })) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

/**
 * A MongoClient per service. The driver connects lazily and retries server selection on
 * each operation, so an unreachable database shows as readiness false, not a crash.
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
        MongoLifecycle,
      ],
      exports: [MongoClient, MONGO_DB],
    };
  }
}
