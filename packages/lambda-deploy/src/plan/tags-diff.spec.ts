import { describe, expect, it } from 'vitest';
import { MANAGED_TAGS_KEY } from '../config/function-settings-reader';
import { diffTags, tagsForCreate } from './tags-diff';

describe('diffTags', () => {
  it('creates with the declared tags and the record of their keys', () => {
    expect(tagsForCreate({ team: 'shop', cost: 'c1' })).toEqual({ team: 'shop', cost: 'c1', [MANAGED_TAGS_KEY]: 'cost team' });
    expect(tagsForCreate(undefined)).toBeUndefined();
  });

  it('changes nothing when the function has them, whatever other tags it carries', () => {
    expect(diffTags({ team: 'shop' }, { team: 'shop', [MANAGED_TAGS_KEY]: 'team', 'aws:cloudformation:stack-name': 's', owner: 'ops' })).toEqual({ set: {}, remove: [] });
  });

  it('sets new and changed keys, removes keys it managed and no longer declares, never anyone else\'s', () => {
    const have = { team: 'shop', cost: 'c1', old: 'x', owner: 'ops', [MANAGED_TAGS_KEY]: 'cost old team' };
    expect(diffTags({ team: 'shop', cost: 'c2', env: 'dev' }, have)).toEqual({ set: { cost: 'c2', env: 'dev', [MANAGED_TAGS_KEY]: 'cost env team' }, remove: ['old'], diff: 'tags ~cost +env -old' });
  });

  it('does not manage tags at all when the file has no tags', () => {
    expect(diffTags(undefined, { team: 'shop', [MANAGED_TAGS_KEY]: 'team' })).toEqual({ set: {}, remove: [] });
  });
});
