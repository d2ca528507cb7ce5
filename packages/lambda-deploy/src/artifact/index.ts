export * from './build-layer';
export * from './collect-files';
export * from './install-stamp';
export * from './limits';
export * from './manifest';
export * from './package-tree';
export * from './pip-install';
export * from './zip-deterministic';
