import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The letters of a generated passphrase: no 0/o, 1/l, so a written copy reads back. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/**
 * A new random passphrase: 32 letters of a 32-letter alphabet (160 bits) in eight groups of
 * four, easy to copy by hand onto the recovery sheet.
 */
export function generatePassphrase(random: (size: number) => Buffer = randomBytes): string {
  const letters = [...random(32)].map((byte) => ALPHABET[byte % ALPHABET.length]).join('');
  return letters.match(/.{4}/g)!.join('-');
}

/** The warning shown beside a generated passphrase, in the CLI and on the recovery sheet. */
export const LOST_PASSPHRASE_WARNING =
  'Write this passphrase down and keep it somewhere safe, away from this computer. It is shown only now. Without it the backups in this repository cannot be read by anyone: a lost passphrase is lost backups.';

/**
 * A passphrase file's first line, without its line break, as restic reads one
 * (RESTIC_PASSWORD_FILE); or why it gives none: the system's code when it cannot be read, or
 * that it is empty. Callers say it in their own words (the CLI's --password-file,
 * TEND_PASSWORD_FILE for the app's repository).
 */
export function passphraseFileLine(
  file: string,
): { readonly line: string } | { readonly unreadable: string } | { readonly empty: true } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { unreadable: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  return line ? { line } : { empty: true };
}
