import { Rng } from './generator/rng';
import type { SandboxFaults } from './options';

export type FaultOutcome = 'reset' | 'error500' | 'error503' | 'rate429' | 'none';

/**
 * Rolls the fault-injection dice. Seeded from the sandbox seed so a failing scenario replays the same
 * way; 500 and 503 alternate so a test sees both.
 */
export class FaultInjector {
  private readonly _rng: Rng;
  private _next5xx: 500 | 503 = 500;

  constructor(seed: number) {
    this._rng = new Rng(seed ^ 0xfa017);
  }

  roll(share: number | undefined): boolean {
    if (!share || share <= 0) {
      return false;
    }
    return share >= 1 || this._rng.next() < share;
  }

  /** The request-level fault for one API request, checked in a fixed order. */
  pick(f: SandboxFaults): FaultOutcome {
    if (this.roll(f.resetShare)) {
      return 'reset';
    }
    if (this.roll(f.error5xxShare)) {
      const s = this._next5xx;
      this._next5xx = s === 500 ? 503 : 500;
      return s === 500 ? 'error500' : 'error503';
    }
    if (this.roll(f.rate429Share)) {
      return 'rate429';
    }
    return 'none';
  }

  jobFails(f: SandboxFaults): boolean {
    const v = f.failJobs;
    if (v === true) {
      return true;
    }
    return typeof v === 'number' && this.roll(v);
  }
}
