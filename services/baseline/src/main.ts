import { bootstrapService } from '@costwatch/observability';
import { AppModule } from './app.module';
import { loadBaselineConfig } from './config/baseline.config';

void bootstrapService({ name: 'baseline', loadConfig: loadBaselineConfig, module: (config) => AppModule.register(config) });
