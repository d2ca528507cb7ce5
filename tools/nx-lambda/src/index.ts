import type { CreateNodesV2 } from '@nx/devkit';
export const createNodes: CreateNodesV2 = ['layers/*/layer.json', async (files) => files.map((f) => [f, { projects: { [f.replace('/layer.json','')]: { name: f.split('/')[1], root: f.replace('/layer.json',''), tags: ['layer'], targets: { probe: { executor: '@vectora/nx-lambda:probe', configurations: { dev: { environment: 'dev' } } } } } } }])];
