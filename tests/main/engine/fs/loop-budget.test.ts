import { afterEach, describe, expect, it, vi } from 'vitest';
import { LoopBudget } from '../../../../src-main/engine/fs/loop-budget';

afterEach(() => {
  vi.useRealTimers();
});

describe('LoopBudget', () => {
  it('is spent after its milliseconds of work, and a pause lets waiting callbacks run first', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setImmediate'] });
    const budget = new LoopBudget(10);
    expect(budget.spent).toBe(false);
    vi.advanceTimersByTime(9);
    expect(budget.spent).toBe(false);
    vi.advanceTimersByTime(1);
    expect(budget.spent).toBe(true);

    const ran: string[] = [];
    setImmediate(() => ran.push('a request waiting on the loop'));
    const paused = budget.pause().then(() => ran.push('the work goes on'));
    await vi.runAllTimersAsync();
    await paused;
    expect(ran).toEqual(['a request waiting on the loop', 'the work goes on']);
    expect(budget.spent).toBe(false);
  });

  it('does not pause while the budget lasts', async () => {
    vi.useFakeTimers({ toFake: ['performance', 'setImmediate'] });
    const budget = new LoopBudget(10);
    let ran = false;
    setImmediate(() => (ran = true));
    await budget.maybePause();
    expect(ran).toBe(false);
    vi.advanceTimersByTime(10);
    const paused = budget.maybePause();
    await vi.runAllTimersAsync();
    await paused;
    expect(ran).toBe(true);
  });
});
