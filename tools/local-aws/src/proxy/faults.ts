import type { RequestKind } from './classify-request';

export interface InjectedResponse {
  status: number;
  name: string;
  message: string;
}

export interface FaultDecision {
  respond?: InjectedResponse;
}

/** Decides, per request, whether to answer with a fault (`before`) or to rewrite moto's answer (`after`). */
export interface FaultInjector {
  before(kind: RequestKind): Promise<FaultDecision>;
  after(kind: RequestKind, status: number, body: Buffer): Buffer | undefined;
}

export const noFaults: FaultInjector = {
  before: async () => ({}),
  after: () => undefined,
};
