export * from './s3-store';
export * from './s3.module';
