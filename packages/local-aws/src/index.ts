export * from './local-credentials';
export * from './moto-server';
export * from './repo-root';
export * from './venv';
export * from './proxy';
