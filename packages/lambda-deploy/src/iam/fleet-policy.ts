import type { Environment } from '../config/environment';
import type { Workspace } from '../config/workspace';
import { deployPolicy, MANAGED_POLICY_MAX_CHARS, type DeployPolicy, type PolicyStatement } from './deploy-policy';

/**
 * The deploy-role policy of an environment spanning several regions (one Environment per region, as
 * resolveEnvironments gives them): each region's statements, joined by purpose. Statements of one Sid
 * and one Condition become one with every region's resources; a Condition that names its region (SSM's
 * kms:ViaService) keeps a statement per region, its Sid suffixed with the region.
 */
export function fleetDeployPolicy(workspace: Workspace, envs: Environment[], selection?: string[]): DeployPolicy {
  const policies = envs.map((env) => deployPolicy(workspace, env, selection));
  if (policies.length === 1) return policies[0];
  const statements = new Map<string, PolicyStatement>();
  policies.forEach((policy, i) => {
    for (const statement of policy.document.Statement) {
      const same = statements.get(statement.Sid);
      if (!same) {
        statements.set(statement.Sid, { ...statement, Resource: [...statement.Resource] });
      } else if (JSON.stringify(same.Condition) === JSON.stringify(statement.Condition) && same.Action.join() === statement.Action.join()) {
        same.Resource = [...new Set([...same.Resource, ...statement.Resource])].sort();
      } else {
        const sid = `${statement.Sid}${envs[i].region.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}`;
        statements.set(sid, { ...statement, Sid: sid });
      }
    }
  });
  const document = { ...policies[0].document, Statement: [...statements.values()] };
  const size = JSON.stringify(document).length;
  const notes = [...new Set(policies.flatMap((policy) => policy.notes.filter((note) => !note.includes(`over IAM's ${MANAGED_POLICY_MAX_CHARS}`))))];
  if (size > MANAGED_POLICY_MAX_CHARS) notes.push(`the policy for ${envs.length} regions has ${size} characters, over IAM's ${MANAGED_POLICY_MAX_CHARS} for a managed policy: split it by project (nx run-many -t iam-policy -p ...) or attach several`);
  return { ...policies[0], document, notes };
}
