export { createNodes, createNodes as createNodesV2 } from './graph/create-nodes';
export { createDependencies } from './graph/create-dependencies';
export type { NxLambdaPluginOptions } from './graph/plugin-options';
