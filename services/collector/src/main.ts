import { bootstrapService } from '@costwatch/observability';
import { AppModule } from './app.module';
import { loadCollectorConfig } from './config/collector.config';

void bootstrapService({ name: 'collector', loadConfig: loadCollectorConfig, module: (config) => AppModule.register(config) });
