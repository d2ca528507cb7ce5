/** Python runtimes Lambda currently accepts for new deploys; the sample app and pip targeting rely on these. */
export const PYTHON_RUNTIMES = ['python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13'] as const;
/** Node.js runtimes: layers install for them under nodejs/, functions are bundled by esbuild for them. */
export const NODE_RUNTIMES = ['nodejs20.x', 'nodejs22.x', 'nodejs24.x'] as const;
/** Every runtime a layer or function may declare. */
export const LAMBDA_RUNTIMES = [...PYTHON_RUNTIMES, ...NODE_RUNTIMES] as const;
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];
export type RuntimeFamily = 'python' | 'nodejs';

/** `python3.12` -> `3.12`: the version pip must target when it picks wheels. */
export function pythonVersionOf(runtime: string): string {
  return runtime.replace(/^python/, '');
}

/** `nodejs22.x` -> `22`: the Node major esbuild targets and npm installs for. */
export function nodeMajorOf(runtime: string): string {
  return runtime.replace(/^nodejs/, '').replace(/\.x$/, '');
}

/** Which language a runtime runs, and so which top folder (`python/`, `nodejs/`) a layer for it holds. */
export function runtimeFamilyOf(runtime: string): RuntimeFamily {
  return runtime.startsWith('nodejs') ? 'nodejs' : 'python';
}

/** npm's `--cpu` for a Lambda architecture (npm takes Node's process.arch names). */
export function npmCpuOf(architecture: Architecture): 'x64' | 'arm64' {
  return architecture === 'arm64' ? 'arm64' : 'x64';
}
