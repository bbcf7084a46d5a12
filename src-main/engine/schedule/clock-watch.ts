import { clockJump, type ClockJump, type ClockReading } from './run-conditions';

/** The two clocks a watch compares; tests pass their own. */
export interface Clocks {
  wallMs(): number;
  monoMs(): number;
}

/** The wall clock and Node's monotonic clock (which stops while the machine sleeps). */
export const systemClocks: Clocks = {
  wallMs: () => Date.now(),
  // The global, read at each call: the same clock as node:perf_hooks, and the one test
  // timers replace.
  monoMs: () => globalThis.performance.now(),
};

/** How often the watch looks: a sleep or a clock change is noticed within this. */
export const CLOCK_WATCH_EVERY_MS = 30_000;

/**
 * Notices that the machine slept or its clock was set, without Electron: every tick it
 * compares how far the wall clock moved with how far the monotonic clock did.
 *
 * Note: croner plans each next run from its last one, so after a jump its timers are wrong
 * until re-planned; `tend serve` has no powerMonitor to say "resume", and this is how it
 * knows. The desktop app also listens to powerMonitor, which is quicker.
 */
export class ClockWatch {
  private last: ClockReading;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly onJump: (jump: ClockJump) => void,
    private readonly onTick: () => void = () => undefined,
    private readonly clocks: Clocks = systemClocks,
  ) {
    this.last = this.read();
  }

  private read(): ClockReading {
    return { wallMs: this.clocks.wallMs(), monoMs: this.clocks.monoMs() };
  }

  /** Starts looking every `everyMs`; the timer never keeps the process alive. */
  start(everyMs: number = CLOCK_WATCH_EVERY_MS): void {
    if (this.timer) return;
    this.last = this.read();
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  /** Looks once: reports a jump since the last look, if any. */
  tick(): ClockJump | null {
    const now = this.read();
    const jump = clockJump(this.last, now);
    this.last = now;
    if (jump) this.onJump(jump);
    else this.onTick();
    return jump;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
