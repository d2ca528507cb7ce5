import type { RequestKind } from './classify-request';

export interface InjectedResponse {
  status: number;
  /** The AWS error code the client sees (`x-amzn-errortype` for Lambda, `<Code>` for S3). */
  name: string;
  message: string;
}

export interface FaultDecision {
  /** Answer with this instead of forwarding: the request never reaches the emulator. */
  respond?: InjectedResponse;
  /** Forward (the write happens), then answer with this: a response lost on the way back. */
  loseResponse?: InjectedResponse;
  /** Forward without these request headers (lower case): a store that ignores them. */
  dropHeaders?: string[];
}

/**
 * Decides, per request, whether to answer with a fault (`before`), and may rewrite the emulator's
 * answer (`after`), e.g. to show an update as still InProgress.
 */
export interface FaultInjector {
  before(kind: RequestKind): Promise<FaultDecision>;
  after(kind: RequestKind, status: number, body: Buffer): Buffer | undefined;
}

export const noFaults: FaultInjector = {
  before: async () => ({}),
  after: () => undefined,
};
