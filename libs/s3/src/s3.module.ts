import { type DynamicModule, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Readiness } from '@costwatch/observability';
import { S3Store, type S3Settings } from './s3-store';

@Injectable()
class S3Lifecycle implements OnApplicationShutdown {
  constructor(
    private readonly store: S3Store,
    readiness: Readiness,
  ) {
    // Creating the bucket doubles as the probe: ready once it exists and the keys work.
    readiness.add({ name: 's3', target: store.location, check: () => store.ensureBucket() });
  }

  onApplicationShutdown(): void {
    this.store.destroy();
  }
}

@Module({})
export class S3Module {
  static forRoot(settings: S3Settings): DynamicModule {
    return {
      module: S3Module,
      global: true,
      providers: [{ provide: S3Store, useValue: new S3Store(settings) }, S3Lifecycle],
      exports: [S3Store],
    };
  }
}
