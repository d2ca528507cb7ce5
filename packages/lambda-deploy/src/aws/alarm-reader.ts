import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { toDeployError } from './aws-error';
import { DEFAULT_RETRY_POLICY, withRetry, type RetryPolicy, type RetryStats } from './retry';

/** `OK`, `ALARM` or `INSUFFICIENT_DATA`, by alarm name; names CloudWatch does not know are absent. */
export type AlarmStates = Map<string, string>;

export interface AlarmReader {
  states(names: string[]): Promise<AlarmStates>;
}

// DescribeAlarms takes at most 100 names per call.
const BATCH = 100;

/**
 * AlarmReader over CloudWatch's DescribeAlarms. Not paced by the Lambda pacer: CloudWatch has its
 * own quota, so watching alarms during a bake never takes from the 15/s Lambda writes share.
 */
export class SdkAlarmReader implements AlarmReader {
  constructor(
    private readonly client: () => CloudWatchClient,
    private readonly options: { retry?: RetryPolicy; retryStats?: RetryStats } = {},
  ) {}

  async states(names: string[]): Promise<AlarmStates> {
    const { DescribeAlarmsCommand } = require('@aws-sdk/client-cloudwatch') as typeof import('@aws-sdk/client-cloudwatch');
    const unique = [...new Set(names)];
    const states: AlarmStates = new Map();
    for (let start = 0; start < unique.length; start += BATCH) {
      const batch = unique.slice(start, start + BATCH);
      let token: string | undefined;
      do {
        const page = await this.call(batch, () => this.client().send(new DescribeAlarmsCommand({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: token, MaxRecords: 100 })));
        for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) states.set(alarm.AlarmName!, alarm.StateValue ?? 'INSUFFICIENT_DATA');
        token = page.NextToken;
      } while (token);
    }
    return states;
  }

  private async call<T>(batch: string[], send: () => Promise<T>): Promise<T> {
    const subject = batch.length === 1 ? batch[0] : `${batch.length} alarms`;
    try {
      return await withRetry(`${subject}: cloudwatch:DescribeAlarms`, send, this.options.retry ?? DEFAULT_RETRY_POLICY, this.options.retryStats);
    } catch (error) {
      throw toDeployError(error, 'cloudwatch:DescribeAlarms', subject);
    }
  }
}
