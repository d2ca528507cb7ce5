/**
 * Counts requests in the last second, as Lambda's per-account control-plane quota does: past
 * `perSecond`, a request is refused (and, like AWS, a refused request still counts against nobody).
 */
export class RateWindow {
  private readonly accepted: number[] = [];

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {}

  tryAccept(): boolean {
    const t = this.now();
    while (this.accepted.length > 0 && this.accepted[0] <= t - 1000) this.accepted.shift();
    if (this.accepted.length >= this.perSecond) return false;
    this.accepted.push(t);
    return true;
  }
}
