import { describe, expect, it } from 'vitest';
import { parseLayerConfig } from './layer-config';

const where = { project: 'core', root: 'layers/core', file: 'layers/core/layer.json' };

describe('layer.json share', () => {
  it('reads accounts, organizationId and public', () => {
    expect(parseLayerConfig({ sources: 'src', share: { accounts: ['111122223333'], organizationId: 'o-abc1234567', public: false } }, where).share).toEqual({ accounts: ['111122223333'], organizationId: 'o-abc1234567', public: false });
    expect(parseLayerConfig({ sources: 'src' }, where).share).toBeUndefined();
  });

  it('refuses a bad account, organization id or key, naming the file and key', () => {
    const parse = (share: unknown) => () => parseLayerConfig({ sources: 'src', share }, where);
    expect(parse({ accounts: ['1234'] })).toThrow('layers/core/layer.json: share: accounts: "1234" is not a 12-digit account id');
    expect(parse({ organizationId: 'abc' })).toThrow('layers/core/layer.json: share: organizationId');
    expect(parse({ public: 'yes' })).toThrow('layers/core/layer.json: share: public');
    expect(parse({ account: ['111122223333'] })).toThrow('unknown key "account"');
    expect(parse(['111122223333'])).toThrow('layers/core/layer.json: share: must hold a JSON object');
  });
});
