import { DeployError } from '../errors';
import type { DesiredFunction } from '../plan/plan-function';

/**
 * `{account}` in role, deadLetter, logging.logGroup and tag values, once readAndPlanFunction knows the
 * account; an error naming each key when it cannot, as for environment values.
 */
export function fillSettingsAccount(desired: DesiredFunction, account: string | undefined, options: { strict: boolean }): Pick<DesiredFunction, 'settings' | 'tags'> {
  const { settings, tags } = desired;
  const needing = [
    ...(['role', 'deadLetter'] as const).filter((key) => settings[key]?.includes('{account}')),
    ...(settings.logging?.logGroup?.includes('{account}') ? ['logging.logGroup'] : []),
    ...Object.keys(tags ?? {}).filter((key) => tags![key].includes('{account}')).map((key) => `tags.${key}`),
  ];
  if (needing.length === 0 || (!account && !options.strict)) return { settings, tags };
  if (!account) {
    throw new DeployError('ACCOUNT_UNKNOWN', `${desired.file}: ${needing.join(', ')}: uses {account}, but the account is not known (the function does not exist yet)`, 'set "accountId" for the environment in nx.json');
  }
  const fill = <T extends string | undefined>(value: T) => value?.replaceAll('{account}', account) as T;
  return {
    settings: { ...settings, role: fill(settings.role), deadLetter: fill(settings.deadLetter), logging: settings.logging && { ...settings.logging, logGroup: fill(settings.logging.logGroup) } },
    tags: tags && Object.fromEntries(Object.entries(tags).map(([key, value]) => [key, fill(value)])),
  };
}
