/** The plugin options in nx.json: the environments are defined once here and become `-c <env>`. */
export interface NxLambdaPluginOptions {
  namePrefix?: string;
  environments?: Record<string, Record<string, unknown>>;
}

export const PLUGIN_NAME = '@vectora/nx-lambda';

export function environmentNames(options: NxLambdaPluginOptions | undefined): string[] {
  return Object.keys(options?.environments ?? {});
}
