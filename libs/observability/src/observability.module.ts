import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Registry } from 'prom-client';
import type { LevelWithSilent } from 'pino';
import { createLogger } from './logging/create-logger';
import { createMetricsRegistry } from './metrics/create-registry';
import { MetricsController } from './metrics/metrics.controller';
import { HealthController } from './health/health.controller';
import { Readiness } from './health/readiness';

export interface ObservabilityOptions {
  service: string;
  logLevel: LevelWithSilent;
}

export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Logging, `/metrics` and `/health/{live,ready}` for a service. Exposes the service's own
 * prom-client Registry and the Readiness set as providers so its modules can add to them.
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const logger = createLogger({ service: options.service, level: options.logLevel });
    return {
      module: ObservabilityModule,
      global: true,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            logger,
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
          },
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: Registry, useFactory: () => createMetricsRegistry(options.service) },
        { provide: ROOT_LOGGER, useValue: logger },
        Readiness,
      ],
      exports: [Registry, Readiness, ROOT_LOGGER],
    };
  }
}
