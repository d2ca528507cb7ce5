export * from './local-credentials';
export * from './moto-server';
export * from './emulator-record';
export * from './workspace-emulator';
export * from './workspace-root';
export * from './venv';
export * from './proxy';
