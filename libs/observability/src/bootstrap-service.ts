import 'reflect-metadata';
import { type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { ConfigError, quietSdkNotices } from '@costwatch/config';
import { startStartupHealthServer } from './health/startup-health-server';

export interface ServiceDefinition<C extends { HTTP_PORT: number; HTTP_HOST: string }> {
  name: string;
  loadConfig: () => C;
  module: (config: C) => DynamicModule;
}

/**
 * Common `main.ts` body: parse config first (a bad setting stops startup with a message
 * naming it, exit code 78 = EX_CONFIG), then boot Nest with pino logging and listen. While
 * Nest initialises (waiting for dependencies), a stand-in answers `/health/live` on the
 * port, so a liveness probe never restarts a service that is only waiting.
 */
export async function bootstrapService<C extends { HTTP_PORT: number; HTTP_HOST: string }>(definition: ServiceDefinition<C>): Promise<void> {
  quietSdkNotices();
  let config: C;
  try {
    config = definition.loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', service: definition.name, msg: error.message, problems: error.problems })}\n`);
      process.exit(78);
    }
    throw error;
  }
  // The port answers /health/live from the start, also while dependencies are retried.
  const standIn = await startStartupHealthServer(config.HTTP_PORT, config.HTTP_HOST, definition.name);
  const app = await (async () => {
    try {
      const nest = await NestFactory.create(definition.module(config), { bufferLogs: true });
      nest.useLogger(nest.get(NestPinoLogger));
      // Exit 0 after a graceful shutdown (SIGTERM from an orchestrator is not a failure), and
      // let pino flush its buffered lines through the 'exit' event.
      nest.enableShutdownHooks([], { useProcessExit: true });
      return await nest.init();
    } finally {
      await standIn.close();
    }
  })();
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
}
