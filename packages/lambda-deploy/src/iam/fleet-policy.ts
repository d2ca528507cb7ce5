import type { Environment } from '../config/environment';
import type { Workspace } from '../config/workspace';
import { deployPolicy, sizeNote, withoutSizeNote, type DeployPolicy, type PolicyStatement } from './deploy-policy';

/**
 * The deploy-role policy of an environment spanning several regions (one Environment per region, as
 * resolveEnvironments gives them): each region's statements, joined by purpose (mergeRegionStatements).
 */
export function fleetDeployPolicy(workspace: Workspace, envs: Environment[], selection?: string[]): DeployPolicy {
  const policies = envs.map((env) => deployPolicy(workspace, env, selection));
  if (policies.length === 1) return policies[0];
  const document = { ...policies[0].document, Statement: mergeRegionStatements(policies.map((policy) => policy.document.Statement), envs.map((env) => env.region)) };
  const notes = [...new Set(policies.flatMap((policy) => withoutSizeNote(policy.notes)))];
  const size = sizeNote(document, `the policy for ${envs.length} regions`);
  return { ...policies[0], document, notes: size ? [...notes, size] : notes };
}

/**
 * Statements of several regions (one list per region, in `regions` order) joined by purpose: one Sid
 * with the same Action and Condition gets every region's resources; otherwise (a Condition naming its
 * region) the later region's statement keeps its own, its Sid suffixed with the region.
 */
export function mergeRegionStatements(perRegion: PolicyStatement[][], regions: string[]): PolicyStatement[] {
  const statements = new Map<string, PolicyStatement>();
  perRegion.forEach((list, i) => {
    for (const statement of list) {
      const same = statements.get(statement.Sid);
      if (!same) {
        statements.set(statement.Sid, { ...statement, Resource: [...statement.Resource] });
      } else if (JSON.stringify(same.Condition) === JSON.stringify(statement.Condition) && same.Action.join() === statement.Action.join()) {
        same.Resource = [...new Set([...same.Resource, ...statement.Resource])].sort();
      } else {
        const sid = `${statement.Sid}${regions[i].replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}`;
        statements.set(sid, { ...statement, Sid: sid });
      }
    }
  });
  return [...statements.values()];
}
