import { describe, expect, it } from 'vitest';
import { planShare, shareGrants } from './plan-layer-share';

describe('planShare', () => {
  const share = { accounts: ['111122223333', '444455556666'], organizationId: 'o-abc1234567', public: false };

  it('grants each account, the organization (principal * with its id) and nothing public', () => {
    expect(shareGrants(share)).toEqual([
      { sid: 'share-account-111122223333', principal: '111122223333' },
      { sid: 'share-account-444455556666', principal: '444455556666' },
      { sid: 'share-org-o-abc1234567', principal: '*', organizationId: 'o-abc1234567' },
    ]);
    expect(shareGrants({ accounts: [], public: true })).toEqual([{ sid: 'share-public', principal: '*' }]);
  });

  it('changes nothing on a version that already carries exactly those statements', () => {
    expect(planShare(share, ['share-org-o-abc1234567', 'share-account-444455556666', 'share-account-111122223333'])).toEqual({ add: [], remove: [] });
  });

  it('adds what is missing and removes what layer.json does not ask for, statements made by hand included', () => {
    expect(planShare(share, ['share-account-111122223333', 'share-public', 'by-hand'])).toEqual({
      add: [
        { sid: 'share-account-444455556666', principal: '444455556666' },
        { sid: 'share-org-o-abc1234567', principal: '*', organizationId: 'o-abc1234567' },
      ],
      remove: ['by-hand', 'share-public'],
    });
  });

  it('an empty share removes every statement', () => {
    expect(planShare({ accounts: [], public: false }, ['share-public'])).toEqual({ add: [], remove: ['share-public'] });
  });
});
