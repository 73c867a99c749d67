import { bootstrapService } from '@costwatch/observability';
import { AppModule } from './app.module';
import { loadDetectorConfig } from './config/detector.config';

void bootstrapService({ name: 'detector', loadConfig: loadDetectorConfig, module: (config) => AppModule.register(config) });
