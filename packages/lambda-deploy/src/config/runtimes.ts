/** Python runtimes Lambda currently accepts for new deploys; the sample app and pip targeting rely on these. */
export const PYTHON_RUNTIMES = ['python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13'] as const;
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** `python3.12` -> `3.12`: the version pip must target when it picks wheels. */
export function pythonVersionOf(runtime: string): string {
  return runtime.replace(/^python/, '');
}
