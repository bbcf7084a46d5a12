import { randomBytes } from 'node:crypto';

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
