export * from './random';
export * from './catalog';
export * from './synthetic-billing';
export * from './expected-totals';
