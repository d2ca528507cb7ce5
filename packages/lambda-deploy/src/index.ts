/**
 * The engine's public API: everything the Nx plugin (or any other front end) may use. Paths under
 * src/ are internal and may move; import from the package name only.
 */
export * from './config';
export * from './errors';
export * from './report';
export { collectFiles, type FileEntry } from './artifact/collect-files';
export { installInputsOf, type InstallKey, type NpmInstallKey, type PipInstallKey } from './artifact/install-stamp';
export { bundleFunction, handlerEntry, moduleFormatOf, type BundleInput, type BundleLayer, type ModuleFormat } from './artifact/bundle-function';
export { writeDeterministicZip, type ZipManifest } from './artifact/zip-deterministic';
export * from './aws/clients';
export * from './aws/bootstrap-emulator';
export * from './aws/retry';
export * from './deploy/deploy-context';
export * from './deploy/deploy-function';
export * from './deploy/check-function-inputs';
export * from './deploy/deploy-layer';
export * from './deploy/export-layers';
export * from './deploy/export-parameters';
export * from './iam/deploy-policy';
export * from './iam/fleet-policy';
export * from './iam/promote-policy';
export * from './package/package-projects';
export * from './plan/plan-prune';
export * from './prune/prune-layer';
export * from './report/progress';
export * from './rollback/rollback-function';
export * from './status/function-status';
export * from './status/layer-status';
export { Pacer } from './aws/pacer';
export * from './config/rollout-policy';
export * from './rollout/plan-rollout';
export * from './rollout/finish-run-rollout';
export * from './rollout/rollout-status';
export type { RolloutResult } from './rollout/run-rollout';
export * from './rollout/rollout-report';
export * from './rollout/rollback-unit';
export * from './promote/check-target';
export * from './promote/promote-function';
export * from './promote/promote-layer';
export * from './promote/check-promotion';
export type { PromoteOptions } from './promote/promote-options';
export type { EnvironmentSession } from './promote/copy-artifact';
export { promotedFrom } from './promote/provenance';
