import { describe, expect, it } from 'vitest';
import { ownerAlive, processAlive } from '../../../../src-main/engine/jobs/process-alive';

const here = 'this-host';
const running = new Set([4242]);
const probe = (pid: number): boolean => running.has(pid);

describe('ownerAlive', () => {
  it.each([
    ['another machine counts as alive', { host: 'elsewhere', pid: 1 }, {}, true],
    ['another machine, even with a gone pid', { host: 'elsewhere', pid: 9 }, {}, true],
    ['a running process here', { host: here, pid: 4242 }, {}, true],
    ['a gone process here', { host: here, pid: 9 }, {}, false],
    ['this process, by default gone', { host: here, pid: process.pid }, {}, false],
    ['this process, as gone', { host: here, pid: process.pid }, { thisProcess: 'gone' }, false],
    ['this process, as alive', { host: here, pid: process.pid }, { thisProcess: 'alive' }, true],
  ] as const)('%s', (_name, owner, options, expected) => {
    expect(ownerAlive(owner, { hostname: here, alive: probe, ...options })).toBe(expected);
  });

  it('uses the real machine name and probe by default', () => {
    expect(ownerAlive({ host: 'not-' + 'a-real-host.invalid', pid: 1 })).toBe(true);
  });
});

describe('processAlive', () => {
  it('sees this process and not a pid that cannot exist', () => {
    expect(processAlive(process.pid)).toBe(true);
    expect(processAlive(2 ** 22 + 7)).toBe(false);
  });
});
