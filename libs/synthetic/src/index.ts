export * from './synthetic-billing';
export * from './expected-totals';
