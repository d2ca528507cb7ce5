/** layer.json `share`: who may use the layer's versions (lambda:GetLayerVersion). */
export interface LayerShare {
  accounts: string[];
  organizationId?: string;
  public: boolean;
}

/** One statement of a layer version's policy, as AddLayerVersionPermission takes it. */
export interface LayerGrant {
  sid: string;
  /** An account id, or `*` (everyone, or the organization's accounts when organizationId is set). */
  principal: string;
  organizationId?: string;
}

export interface SharePlan {
  add: LayerGrant[];
  /** Statement ids to remove: anything on the version that `share` does not ask for. */
  remove: string[];
}

/**
 * The statements `share` asks for. Their ids name the grantee, so a statement with the same id grants
 * the same thing, and comparing ids is comparing permissions.
 */
export function shareGrants(share: LayerShare): LayerGrant[] {
  return [
    ...share.accounts.map((account) => ({ sid: `share-account-${account}`, principal: account })),
    ...(share.organizationId ? [{ sid: `share-org-${share.organizationId}`, principal: '*', organizationId: share.organizationId }] : []),
    ...(share.public ? [{ sid: 'share-public', principal: '*' }] : []),
  ];
}

/** What to change so a version carries exactly the permissions of `share`: nothing when it already does. */
export function planShare(share: LayerShare, currentSids: string[]): SharePlan {
  const wanted = shareGrants(share);
  return {
    add: wanted.filter((grant) => !currentSids.includes(grant.sid)),
    remove: currentSids.filter((sid) => !wanted.some((grant) => grant.sid === sid)).sort(),
  };
}
