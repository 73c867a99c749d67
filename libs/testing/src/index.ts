export * from './endpoints';
export * from './unique-name';
export * from './wait-for';
export * from './collect-messages';
