export * from './aws-proxy';
export * from './classify-request';
export * from './faults';
export * from './fault-injector';
