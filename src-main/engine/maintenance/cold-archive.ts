import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import readline from 'node:readline';
import { renameDurably, syncFile } from '../fs/durable';

/** One interactions row as the cold tier keeps it (the table's own column names). */
export interface ColdRow {
  id: number;
  session_id: string;
  timestamp: string;
  user_role: string;
  query: string;
  query_type: string;
  response_time_ms: number;
  response_length: number;
  success: number;
  user_rating: number | null;
  ip: string | null;
  created_at: string;
  scrubbed_at: string | null;
}

/** The file of one moved batch, relative to the cold folder: `YYYY-MM/segment-<first>-<last>.jsonl.gz`. */
export function coldSegmentName(month: string, firstId: number, lastId: number): string {
  return `${month}/segment-${firstId}-${lastId}.jsonl.gz`;
}

/**
 * Writes rows as gzipped JSON Lines, crash-safely: to `<file>.partial`, fsync, rename, fsync
 * the folder. A reader never sees half a file under the final name.
 */
export async function writeColdSegment(file: string, rows: Iterable<string>): Promise<number> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  await pipeline(Readable.from(rows), createGzip({ level: 6 }), fs.createWriteStream(partial));
  await syncFile(partial);
  await renameDurably(partial, file);
  return (await fs.promises.stat(file)).size;
}

/** Reads the rows of one cold segment. */
export async function* readColdSegment(file: string): AsyncGenerator<ColdRow> {
  const lines = readline.createInterface({
    input: fs.createReadStream(file).pipe(createGunzip()),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    if (line.trim() !== '') yield JSON.parse(line) as ColdRow;
  }
}

/** Every segment file under the cold folder, relative to it, with its size. */
export function listColdSegments(folder: string): Array<{ name: string; bytes: number }> {
  if (!fs.existsSync(folder)) return [];
  const out: Array<{ name: string; bytes: number }> = [];
  for (const month of fs.readdirSync(folder).sort()) {
    const monthDir = path.join(folder, month);
    if (!fs.statSync(monthDir).isDirectory()) continue;
    for (const name of fs.readdirSync(monthDir).sort()) {
      out.push({ name: `${month}/${name}`, bytes: fs.statSync(path.join(monthDir, name)).size });
    }
  }
  return out;
}
