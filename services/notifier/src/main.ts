import { bootstrapService } from '@costwatch/observability';
import { AppModule } from './app.module';
import { loadNotifierConfig } from './config/notifier.config';

void bootstrapService({ name: 'notifier', loadConfig: loadNotifierConfig, module: (config) => AppModule.register(config) });
