export * from './connect-mongo';
export * from './collections';
export * from './mongo.module';
