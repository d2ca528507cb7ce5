import { afterEach, describe, expect, it } from 'vitest';
import type { Environment } from '../config/environment';
import { createAwsSession } from './clients';

const NOTICE_SWITCH = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const ENV: Environment = { name: 'dev', region: 'eu-west-1', regions: ['eu-west-1'], namePrefix: 'p', createMissingFunctions: false, emulator: false, requireApproval: false, endpoint: 'http://127.0.0.1:9' };
const onNode20 = process.versions.node.startsWith('20.');
const before = process.env[NOTICE_SWITCH];

afterEach(() => {
  if (before === undefined) delete process.env[NOTICE_SWITCH];
  else process.env[NOTICE_SWITCH] = before;
});

// CI runs this on Node 20, 22 and 24 (scripts/test-node-versions.sh): each checks its own side.
describe(`the AWS SDK's Node-version notice (on Node ${process.versions.node})`, () => {
  it(onNode20 ? 'is silenced on Node 20, where it applies' : 'is left alone on Node 22 and later, which never get it', () => {
    delete process.env[NOTICE_SWITCH];
    createAwsSession(ENV);
    expect(process.env[NOTICE_SWITCH]).toBe(onNode20 ? 'true' : undefined);
  });

  it("never overrides the user's own setting", () => {
    process.env[NOTICE_SWITCH] = 'false';
    createAwsSession(ENV);
    expect(process.env[NOTICE_SWITCH]).toBe('false');
  });
});
