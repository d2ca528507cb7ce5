export * from './console-renderer';
export * from './events';
export * from './run-summary';
export * from './task-report';
