import { randomBytes } from 'node:crypto';
import { TendFailure } from '../../../src-shared/errors';
import { formatBytes } from '../../../src-shared/language/bytes';
import type { Backend } from './backend';

/**
 * The destination test behind Settings' "Test" button (issue 12, "Destinations"): reach the
 * storage, write a scratch file, read it back, delete it, and ask for the free space, each step
 * reported as it finishes. The scratch file sits beside restic's folders, never in them, so a
 * test never touches a repository's files.
 */

/** The steps, in order. */
export const DESTINATION_STEPS = ['reach', 'write', 'read-back', 'delete', 'free-space'] as const;

/** One step's name. */
export type DestinationStepName = (typeof DESTINATION_STEPS)[number];

/** How one step went. */
export interface DestinationStep {
  readonly step: DestinationStepName;
  readonly status: 'passed' | 'failed' | 'skipped';
  /** What happened, in words a person can act on. */
  readonly detail: string;
  /** The failure's stable code, when the step failed. */
  readonly code?: string;
}

/** The whole test. */
export interface DestinationCheck {
  readonly location: string;
  readonly ok: boolean;
  /** Whether a repository is there already (null when the storage could not be reached). */
  readonly repositoryPresent: boolean | null;
  readonly freeBytes: number | null;
  readonly steps: ReadonlyArray<DestinationStep>;
}

/** Bytes of the scratch file: big enough to cross a packet or two, small enough for any quota. */
const SAMPLE_BYTES = 64 * 1024;

function describeFailure(error: unknown): { detail: string; code?: string } {
  if (error instanceof TendFailure) return { detail: error.message, code: error.code };
  return { detail: (error as Error).message ?? String(error) };
}

/** Runs the steps against a backend; never throws for the storage's faults, it reports them. */
export async function checkDestination(
  backend: Backend,
  options: { readonly onStep?: (step: DestinationStep) => void } = {},
): Promise<DestinationCheck> {
  const steps: DestinationStep[] = [];
  const report = (step: DestinationStep) => {
    steps.push(step);
    options.onStep?.(step);
  };
  const skip = (names: ReadonlyArray<DestinationStepName>, why: string) => {
    for (const step of names) report({ step, status: 'skipped', detail: why });
  };

  let repositoryPresent: boolean | null = null;
  try {
    repositoryPresent = (await backend.stat({ type: 'config', name: '' })) !== null;
    report({
      step: 'reach',
      status: 'passed',
      detail: repositoryPresent
        ? `Reached ${backend.location}; it holds a backup repository.`
        : `Reached ${backend.location}; no repository there yet.`,
    });
  } catch (error) {
    report({ step: 'reach', status: 'failed', ...describeFailure(error) });
    skip(DESTINATION_STEPS.slice(1), 'Not tried: the destination could not be reached.');
    return { location: backend.location, ok: false, repositoryPresent, freeBytes: null, steps };
  }

  const name = `tend-destination-test-${randomBytes(8).toString('hex')}`;
  const sample = randomBytes(SAMPLE_BYTES);
  let written = false;
  try {
    await backend.writeScratch(name, sample);
    written = true;
    report({ step: 'write', status: 'passed', detail: `Wrote a ${SAMPLE_BYTES}-byte test file.` });
  } catch (error) {
    report({ step: 'write', status: 'failed', ...describeFailure(error) });
  }

  if (written) {
    try {
      const back = await backend.readScratch(name);
      report(
        back.equals(sample)
          ? { step: 'read-back', status: 'passed', detail: 'Read the test file back unchanged.' }
          : {
              step: 'read-back',
              status: 'failed',
              detail: `The test file came back different (${back.length} of ${SAMPLE_BYTES} bytes, not the same bytes): the storage does not keep what it is given.`,
              code: 'DESTINATION_UNAVAILABLE',
            },
      );
    } catch (error) {
      report({ step: 'read-back', status: 'failed', ...describeFailure(error) });
    }
    try {
      await backend.removeScratch(name);
      report({ step: 'delete', status: 'passed', detail: 'Deleted the test file.' });
    } catch (error) {
      report({ step: 'delete', status: 'failed', ...describeFailure(error) });
    }
  } else {
    skip(['read-back', 'delete'], 'Not tried: nothing could be written.');
  }

  let freeBytes: number | null = null;
  try {
    freeBytes = await backend.freeBytes();
    report({
      step: 'free-space',
      status: 'passed',
      detail:
        freeBytes === null
          ? 'The storage does not tell its free space (object storage has no fixed size; a quota, if any, shows when it is reached).'
          : `${formatBytes(freeBytes)} free.`,
    });
  } catch (error) {
    report({ step: 'free-space', status: 'failed', ...describeFailure(error) });
  }

  return {
    location: backend.location,
    ok: steps.every((step) => step.status === 'passed'),
    repositoryPresent,
    freeBytes,
    steps,
  };
}
