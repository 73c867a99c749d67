export * from './config-error';
export * from './parse-config';
export * from './settings';
export * from './settings-file';
export * from './record-settings';
export * from './sdk-notices';
