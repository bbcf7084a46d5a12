import crypto from 'node:crypto';
import { nativePaths } from '../profiles/native/native-paths';
import type { DemoProfile } from './demo-profile';
import { daysBefore } from './demo-time';
import { fillLines, lazyFile, type PlannedFile } from './demo-files';
import type { SeededRandom } from './random';

const encodings = ['cl100k_base', 'o200k_base', 'p50k_base', 'r50k_base'];

/** One cached tokenization as JSON, padded with spaces inside the array to exactly `bytes`. */
function tokenEntry(rng: SeededRandom, bytes: number, encoding: string, created: Date): Buffer {
  const prefix = `{"encoding":"${encoding}","created":${Math.floor(created.getTime() / 1000)},"tokens":[`;
  const suffix = ']}\n';
  const budget = bytes - prefix.length - suffix.length;
  let body = '';
  for (;;) {
    const token = String(rng.int(0, 100_255));
    const next = body.length > 0 ? `,${token}` : token;
    if (body.length + next.length > budget) break;
    body += next;
  }
  return Buffer.from(prefix + body.padEnd(budget, ' ') + suffix, 'latin1');
}

/**
 * Plans local_data/cache/: tiktoken encoding files (named, as tiktoken does, by the SHA-1 of
 * their download URL; lines of base64 token and rank) and many small cached tokenizations
 * fanned out over 256 folders, with ages up to five months so cleanup by age has work to do.
 */
export function planCache(rng: SeededRandom, profile: DemoProfile, now: Date): PlannedFile[] {
  const files: PlannedFile[] = [];
  for (let i = 0; i < profile.tiktokenFiles; i++) {
    const encoding = encodings[i % encodings.length] ?? 'cl100k_base';
    const url = `https://openaipublic.blob.core.windows.net/encodings/${encoding}.tiktoken`;
    const name = crypto.createHash('sha1').update(url).digest('hex');
    const r = rng.fork(`tiktoken/${i}`);
    const bytes = Math.round(r.logNormal(profile.tiktokenBytes, 0.2));
    files.push(
      lazyFile(
        `${nativePaths.cache}/tiktoken/${name}`,
        bytes,
        daysBefore(now, r.int(60, 200)),
        () => {
          const body = r.fork('body');
          const piece = Buffer.alloc(8);
          let rank = 0;
          return fillLines(bytes, () => {
            const token = piece.subarray(0, body.int(1, 8));
            body.fill(token);
            return `${token.toString('base64')} ${rank++}`;
          });
        },
      ),
    );
  }
  for (let i = 0; i < profile.cacheEntries; i++) {
    const r = rng.fork(`tokens/${i}`);
    const name = r.hex(40);
    const bytes = Math.max(256, Math.round(r.logNormal(profile.cacheEntryMedianBytes, 0.8)));
    const created = daysBefore(now, 150 * r.next() ** 1.5 + r.next() / 24);
    const encoding = r.pick(encodings.slice(0, 2));
    files.push(
      lazyFile(
        `${nativePaths.cache}/tokens/${name.slice(0, 2)}/${name.slice(2)}.json`,
        bytes,
        created,
        () => tokenEntry(r.fork('body'), bytes, encoding, created),
      ),
    );
  }
  return files;
}
