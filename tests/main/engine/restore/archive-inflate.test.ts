/**
 * The archive's decompression in a worker (restore/archive-inflate.ts): member by member where
 * the members are Tend's, as one gunzip stream from the first doubt on, and always the bytes
 * and the failures a gunzip stream of the whole file gives.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipMemberWriter } from '../../../../src-main/engine/backup/gzip-members';
import { ArchiveInflate } from '../../../../src-main/engine/restore/archive-inflate';
import {
  MemberInflater,
  readMemberStep,
  type MemberSink,
} from '../../../../src-main/engine/restore/gzip-member-step';
import { tempDir } from '../../../support/temp-dir';

/** Data that compresses (text) and data that does not (random), in turns. */
function mixedData(bytes: number): Buffer {
  const parts: Buffer[] = [];
  let total = 0;
  for (let i = 0; total < bytes; i++) {
    const part =
      i % 2 === 0
        ? Buffer.from(`line ${i} of a document that compresses well\n`.repeat(900))
        : crypto.randomBytes(30_000);
    parts.push(part);
    total += part.length;
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

/** Members as the backup writes them: `memberBytes` of input each, levels 0, 1 and 6. */
async function tendMembers(data: Buffer, memberBytes: number): Promise<Buffer[]> {
  const members: Buffer[] = [];
  const writer = new GzipMemberWriter(async (member) => void members.push(member), {
    memberBytes,
    parallel: 2,
  });
  for (let at = 0, i = 0; at < data.length; at += memberBytes, i++) {
    await writer.write(data.subarray(at, at + memberBytes), [0, 1, 6][i % 3]!);
  }
  await writer.end();
  return members;
}

function archiveFile(content: Buffer): string {
  const file = path.join(tempDir('tend-inflate-'), 'archive.tar.gz');
  fs.writeFileSync(file, content);
  return file;
}

/** What the worker gives for a file: its bytes, how it read them, or its failure. */
async function inflateAll(file: string, onRead?: (chunk: Buffer) => void) {
  const inflate = new ArchiveInflate(file, { onRead });
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of inflate) chunks.push(Buffer.from(chunk));
    return { data: Buffer.concat(chunks), summary: inflate.summary, error: null };
  } catch (error) {
    const caught = error as NodeJS.ErrnoException;
    return { data: Buffer.concat(chunks), summary: null, error: caught };
  } finally {
    await inflate.close();
  }
}

/** What a gunzip stream of the whole file gives: its bytes, or its failure. */
async function gunzipStream(file: string) {
  const chunks: Buffer[] = [];
  try {
    const gunzip = fs.createReadStream(file).pipe(zlib.createGunzip());
    for await (const chunk of gunzip) chunks.push(chunk as Buffer);
    return { data: Buffer.concat(chunks), error: null };
  } catch (error) {
    return { data: Buffer.concat(chunks), error: error as NodeJS.ErrnoException };
  }
}

/** A sink that keeps everything in one growing list. */
function listSink(): MemberSink & { bytes: () => Buffer } {
  const parts: Buffer[] = [];
  let last: Buffer | null = null;
  return {
    async space() {
      last = Buffer.alloc(64 * 1024);
      return last;
    },
    filled(bytes) {
      parts.push(Buffer.from(last!.subarray(0, bytes)));
    },
    bytes: () => Buffer.concat(parts),
  };
}

describe('ArchiveInflate', () => {
  it('reads Tend’s members one by one, each whole, the bytes in order', async () => {
    const data = mixedData(3 * 1024 * 1024 + 12_345);
    const members = await tendMembers(data, 256 * 1024);
    const file = archiveFile(Buffer.concat(members));
    const read: Buffer[] = [];
    const got = await inflateAll(file, (chunk) => read.push(chunk));
    expect(got.error).toBeNull();
    expect(got.data.equals(data)).toBe(true);
    expect(got.summary).toEqual({ members: members.length, serialFrom: null });
    // Every byte of the file was seen as read, in order.
    expect(Buffer.concat(read).equals(fs.readFileSync(file))).toBe(true);
  });

  it('does not take a member header stored inside a member for a bound', async () => {
    // A stored member (level 0) whose data is itself a whole gzip member: its bytes appear
    // as they are in the archive, a perfect header and trailer in the middle of a member.
    const inner = zlib.gzipSync(Buffer.from('not a member of this archive\n'.repeat(50)));
    const data = Buffer.concat([Buffer.alloc(1000, 7), inner, Buffer.alloc(1000, 9)]);
    const stored = zlib.gzipSync(data, { level: 0 });
    expect(stored.indexOf(inner)).toBeGreaterThan(10);
    const after = zlib.gzipSync(Buffer.from('the next real member'));
    const file = archiveFile(Buffer.concat([stored, after]));
    const got = await inflateAll(file);
    expect(got.error).toBeNull();
    expect(got.data.equals(Buffer.concat([data, Buffer.from('the next real member')]))).toBe(true);
    expect(got.summary).toEqual({ members: 2, serialFrom: null });
  });

  it('reads a foreign gzip (a name in its header) as one stream, from its start', async () => {
    const data = mixedData(500_000);
    const plain = zlib.gzipSync(data);
    // FLG.FNAME and a file name after the fixed header, as GNU gzip writes it.
    const named = Buffer.concat([
      plain.subarray(0, 3),
      Buffer.of(0x08),
      plain.subarray(4, 10),
      Buffer.from('backup.tar\0'),
      plain.subarray(10),
    ]);
    const got = await inflateAll(archiveFile(named));
    expect(got.error).toBeNull();
    expect(got.data.equals(data)).toBe(true);
    expect(got.summary).toEqual({ members: 0, serialFrom: 0 });
  });

  it('goes on as one stream from a member too large to read in one go', async () => {
    const first = zlib.gzipSync(Buffer.from('a small first member'));
    const large = zlib.gzipSync(crypto.randomBytes(7 * 1024 * 1024), { level: 0 });
    const file = archiveFile(Buffer.concat([first, large]));
    const got = await inflateAll(file);
    const expected = await gunzipStream(file);
    expect(got.error).toBeNull();
    expect(got.data.equals(expected.data)).toBe(true);
    expect(got.summary).toEqual({ members: 1, serialFrom: first.length });
  });

  it.each([
    [
      'cut short inside a member',
      (archive: Buffer, bounds: number[]) => archive.subarray(0, bounds[3]! + 5000),
    ],
    [
      'a damaged CRC-32',
      (archive: Buffer, bounds: number[]) => {
        const copy = Buffer.from(archive);
        copy[bounds[3]! - 8]! ^= 0xff;
        return copy;
      },
    ],
    [
      'damaged deflate data',
      (archive: Buffer, bounds: number[]) => {
        const copy = Buffer.from(archive);
        for (let i = 0; i < 64; i++) copy[bounds[2]! + 200 + i] = 0xff;
        return copy;
      },
    ],
    [
      'bytes after the zeros at the end',
      (archive: Buffer) => Buffer.concat([archive, Buffer.alloc(300), Buffer.from('garbage')]),
    ],
  ])('fails as gunzip does on %s, after the bytes before it', async (_, damage) => {
    const data = mixedData(2 * 1024 * 1024);
    const members = await tendMembers(data, 256 * 1024);
    const bounds: number[] = [];
    let at = 0;
    for (const member of members) bounds.push((at += member.length));
    const file = archiveFile(damage(Buffer.concat(members), bounds));
    const got = await inflateAll(file);
    const expected = await gunzipStream(file);
    expect(got.error?.code).toMatch(/^Z_/);
    expect(got.error?.code).toBe(expected.error?.code ?? 'Z_DATA_ERROR');
    // The bytes before the damage came first, and none that gunzip would not give.
    expect(got.data.length).toBeGreaterThanOrEqual(2 * 256 * 1024);
    expect(expected.data.subarray(0, got.data.length).equals(got.data)).toBe(true);
  });

  it('ends at zeros after the last member, as gunzip does', async () => {
    const data = mixedData(400_000);
    const members = await tendMembers(data, 128 * 1024);
    const got = await inflateAll(archiveFile(Buffer.concat([...members, Buffer.alloc(4096)])));
    expect(got.error).toBeNull();
    expect(got.data.equals(data)).toBe(true);
    expect(got.summary).toEqual({ members: members.length, serialFrom: null });
  });

  it('says a missing archive is missing', async () => {
    const got = await inflateAll(path.join(tempDir('tend-inflate-'), 'none.tar.gz'));
    expect(got.error?.code).toBe('ENOENT');
  });
});

describe('readMemberStep', () => {
  const limits = 16 * 1024 * 1024;

  it('reads a whole member and says how many bytes it took, the bytes after it left alone', async () => {
    const one = zlib.gzipSync(mixedData(300_000));
    const two = zlib.gzipSync(Buffer.from('second'));
    const sink = listSink();
    const inflater = new MemberInflater();
    const step = await readMemberStep(Buffer.concat([one, two]), true, inflater, sink, limits);
    inflater.close();
    expect(step).toEqual({ kind: 'member', size: one.length });
    expect(sink.bytes().equals(zlib.gunzipSync(one))).toBe(true);
  });

  it.each([
    ['a window that ends inside the member', (member: Buffer) => member.subarray(0, 4000)],
    [
      'a window cut at a member header stored inside the member',
      (member: Buffer) => member.subarray(0, member.indexOf(Buffer.of(0x1f, 0x8b, 8, 0), 10)),
    ],
    [
      'a wrong size in the trailer',
      (member: Buffer) => {
        const copy = Buffer.from(member);
        copy[copy.length - 1]! ^= 1;
        return copy;
      },
    ],
    [
      'a header with optional fields',
      (member: Buffer) => Buffer.concat([member.subarray(0, 3), Buffer.of(4), member.subarray(4)]),
    ],
  ])('is not sure with %s', async (_, cut) => {
    const inner = zlib.gzipSync(Buffer.from('x'.repeat(100)));
    const member = zlib.gzipSync(
      Buffer.concat([crypto.randomBytes(5000), inner, crypto.randomBytes(5000)]),
      {
        level: 0,
      },
    );
    const inflater = new MemberInflater();
    const step = await readMemberStep(cut(member), true, inflater, listSink(), limits);
    inflater.close();
    expect(step).toEqual({ kind: 'serial' });
  });

  it('is not sure of a member that gives more than the limit (a bomb is not inflated)', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(2 * 1024 * 1024));
    const inflater = new MemberInflater();
    const step = await readMemberStep(bomb, true, inflater, listSink(), 1024 * 1024);
    inflater.close();
    expect(step).toEqual({ kind: 'serial' });
  });

  it('takes a zero after a member for padding, never at the start', async () => {
    const inflater = new MemberInflater();
    const zeros = Buffer.alloc(100);
    expect(await readMemberStep(zeros, false, inflater, listSink(), limits)).toEqual({
      kind: 'padding',
    });
    expect(await readMemberStep(zeros, true, inflater, listSink(), limits)).toEqual({
      kind: 'serial',
    });
    inflater.close();
  });

  it('has the zlib handle it writes through on this Node', () => {
    expect(MemberInflater.available).toBe(true);
  });
});
