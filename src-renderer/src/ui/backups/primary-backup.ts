/**
 * Which of the Backups page's two "back up now" buttons is the primary one: the one that will
 * actually run. Archives (.tar.gz) need a backup folder; with none chosen, "Back up now" would
 * only answer NO_DESTINATION, so where the encrypted repository is set and Tend knows its
 * passphrase, "Back up to the repository now" is the primary instead. In every other case the
 * archives' button stays primary (with no folder it is off, and its title says what to set up).
 */
export function primaryBackup(args: {
  /** The archives' backup folder from settings; null while none is chosen, undefined unread. */
  archiveFolder: string | null | undefined;
  /** A repository is set and its passphrase is known: its backup can start. */
  repositoryReady: boolean;
}): 'archives' | 'repository' {
  return args.archiveFolder === null && args.repositoryReady ? 'repository' : 'archives';
}
