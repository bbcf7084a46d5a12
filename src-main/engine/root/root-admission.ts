/**
 * Whether a folder may become the data root, asked before anything is written into it: the
 * policy's refusal (ROOT_NOT_ALLOWED), then whether it is an assistant's or the person adopts
 * it (ROOT_NOT_ASSISTANT, with what was found), and with which profile.
 */
import type { FolderFindings } from '../../../src-shared/models/root';
import { TendFailure } from '../../../src-shared/errors';
import type { Profile } from '../profiles/profile';
import { DEFAULT_PROFILE_ID, profileById } from '../profiles/registry';
import { describeFindings, inspectFolder, type InspectOptions } from './assistant-folder';
import { checkRootFolder, existingFolder } from './data-root';
import { rootRefusal, type PathEnvironment } from './path-policy';

/** What the admission needs to know of the machine and of Tend. */
export interface AdmissionContext {
  readonly env: PathEnvironment;
  /** Every backup destination Tend knows of. */
  readonly destinations: ReadonlyArray<string>;
  /** The profile Tend already manages a folder (its real path) with, or null. */
  managedAs(real: string): Promise<string | null>;
}

/** An admitted root: its real path, its profile, and what was found in it. */
export interface AdmittedRoot {
  readonly path: string;
  readonly profile: Profile;
  readonly findings: FolderFindings;
}

/** How a folder is admitted. */
export interface AdmitOptions {
  /**
   * The person saw what Tend found in it and chose it: manage it although no profile was
   * detected. Never overrides ROOT_NOT_ALLOWED.
   */
  readonly adopt?: boolean;
  /** The profile the person chose; else the one it is managed with, or the one detected. */
  readonly profile?: string;
}

/** Refuses, with ROOT_NOT_ALLOWED, a folder that can never be a data root. */
export function refuseForbiddenRoot(folder: string, context: AdmissionContext): void {
  const reason = rootRefusal(folder, context.env, context.destinations);
  if (reason !== null) throw notAllowed(reason, folder);
}

function notAllowed(reason: string, folder: string): TendFailure {
  return new TendFailure('ROOT_NOT_ALLOWED', `${reason} Choose the assistant's own folder.`, {
    path: folder,
  });
}

/**
 * What Tend finds in an existing folder, without writing anything: its markers, what sits at
 * its top, and why it can never be a data root, if so (asked of the path as given and with its
 * links followed; a folder holding Tend backup archives is a destination).
 */
export async function inspectRootFolder(
  candidate: string,
  context: AdmissionContext,
  options: InspectOptions = {},
): Promise<FolderFindings> {
  const real = await existingFolder(candidate);
  const refusal =
    rootRefusal(candidate, context.env, context.destinations) ??
    rootRefusal(real, context.env, context.destinations);
  const findings = await inspectFolder(
    real,
    refusal,
    refusal === null ? await context.managedAs(real) : null,
    options,
  );
  if (refusal === null && findings.backupArchives > 0 && findings.kind !== 'managed') {
    return {
      ...findings,
      refusal: `${candidate} holds Tend backup archives: it is a backup destination, and backups and the data they protect are kept apart.`,
    };
  }
  return findings;
}

/**
 * Admits an existing folder as the data root and answers its real path and profile, or
 * refuses it before anything is written: ROOT_NOT_ALLOWED, the folder's own problems (missing,
 * a file, not writable), and ROOT_NOT_ASSISTANT unless it is an assistant's or `adopt` says
 * the person saw the findings and chose it. A folder two profiles match as well needs the
 * person's choice of profile even when adopted: Tend never guesses.
 */
export async function admitRoot(
  candidate: string,
  context: AdmissionContext,
  options: AdmitOptions = {},
): Promise<AdmittedRoot> {
  const chosen = options.profile === undefined ? null : profileById(options.profile);
  // Asked of the path as typed first, so `/` or a home folder is refused before any I/O.
  refuseForbiddenRoot(candidate, context);
  const real = await checkRootFolder(candidate);
  // Opening a folder Tend manages checks its recorded profile, not every profile: the person
  // asks for a full detection with root:inspect or profiles:detect.
  const findings = await inspectRootFolder(real, context, { everyProfile: false });
  if (findings.refusal !== null) throw notAllowed(findings.refusal, real);
  const adopt = (options.adopt ?? false) || chosen !== null;
  if (!findings.isAssistantFolder && !adopt) {
    const next =
      findings.kind === 'empty'
        ? `To start a new data folder there: tend init ${candidate} (in the app: "Create a new data folder here").`
        : `If it is the assistant's folder, adopt it: tend adopt ${candidate} --yes, or with the profile it is: tend adopt ${candidate} --profile ID (tend profiles list; in the app: "Manage this folder").`;
    throw new TendFailure(
      'ROOT_NOT_ASSISTANT',
      `${candidate} is not an assistant's data folder. ${describeFindings(findings, ' ')} Nothing was written. ${next}`,
      { findings },
    );
  }
  if (chosen) return { path: real, profile: chosen, findings };
  if (findings.profile)
    return { path: real, profile: profileById(findings.profile.profile), findings };
  if (findings.kind === 'ambiguous') {
    throw new TendFailure(
      'ROOT_NOT_ASSISTANT',
      `${candidate} looks like more than one kind of data folder. ${describeFindings(findings, ' ')} Nothing was written. Say which it is: tend adopt ${candidate} --profile ID (tend profiles list).`,
      { findings },
    );
  }
  // Adopted with nothing detected: the default profile, whose last rule keeps everything
  // irreplaceable (backed up, never offered for cleanup).
  return { path: real, profile: profileById(DEFAULT_PROFILE_ID), findings };
}
