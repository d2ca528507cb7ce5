export * from './layer-arn';
export * from './layer-description';
export * from './merge-layers';
export * from './plan-function';
export * from './plan-layer';
export * from './settings-diff';
export * from './types';
