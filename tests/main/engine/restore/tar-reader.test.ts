import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TarReader, type TarHeader } from '../../../../src-main/engine/restore/tar-reader';
import { tempDir } from '../../../support/temp-dir';

/** A tar stream GNU tar wrote: small files, a folder, a link, a long name, an empty file. */
function gnuTarStream(): { stream: Buffer; files: Map<string, Buffer> } {
  const dir = tempDir();
  const root = path.join(dir, 'root');
  const files = new Map<string, Buffer>();
  const add = (relative: string, data: Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    fs.writeFileSync(path.join(root, relative), data);
    files.set(relative, data);
  };
  for (let i = 0; i < 40; i++) add(`memories/m-${i}.json`, Buffer.from(`{"n":${i}}`.repeat(i * 7)));
  add(`${'deep/'.repeat(30)}long-name.txt`, Buffer.from('at the end of a long path'));
  add('empty', Buffer.alloc(0));
  add('blocks.bin', Buffer.alloc(4096, 7));
  fs.symlinkSync('empty', path.join(root, 'link'));
  const stream = execFileSync('tar', ['--format=posix', '-cf', '-', '-C', root, '.'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stream, files };
}

/** Reads a stream through TarReader in chunks of `size` bytes. */
function readInChunks(stream: Buffer, size: number) {
  const headers: TarHeader[] = [];
  const data = new Map<string, Buffer>();
  const reader = new TarReader((header) => {
    headers.push(header);
    const parts: Buffer[] = [];
    return {
      data: (chunk) => parts.push(Buffer.from(chunk)),
      end: () => data.set(header.path.replace(/^\.\//, ''), Buffer.concat(parts)),
    };
  });
  for (let at = 0; at < stream.length; at += size) reader.write(stream.subarray(at, at + size));
  reader.finish();
  return { headers, data };
}

describe('TarReader', () => {
  const { stream, files } = gnuTarStream();
  const whole = readInChunks(stream, stream.length);

  it('reads every entry of a GNU tar stream', () => {
    for (const [relative, bytes] of files) expect(whole.data.get(relative)).toEqual(bytes);
    expect(whole.headers.find((header) => header.type === 'symlink')?.linkPath).toBe('empty');
  });

  // Chunks that cut headers anywhere: one byte, odd sizes, a block and a byte either way.
  it.each([1, 7, 100, 511, 512, 513, 1000, 4097, 65_536])(
    'reads the same in chunks of %i bytes',
    (size) => {
      const cut = readInChunks(stream, size);
      expect(cut.headers).toEqual(whole.headers);
      expect(cut.data).toEqual(whole.data);
    },
  );

  it('says an archive cut inside a header is cut short', () => {
    const reader = new TarReader(() => null);
    reader.write(stream.subarray(0, 700));
    expect(() => reader.finish()).toThrow(/ends early/);
  });
});

/** One ustar header block for a file of `size` whose mode field is `mode` (8 raw bytes). */
function headerWithMode(mode: Buffer, size = 0): Buffer {
  const block = Buffer.alloc(512);
  block.write('file.txt', 0);
  mode.copy(block, 100, 0, 8);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(size.toString(8).padStart(11, '0') + ' ', 124);
  block.write('14000000000\0', 136);
  block[156] = 0x30;
  block.write('ustar\x0000', 257);
  let sum = 8 * 32;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += block[i]!;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return block;
}

describe('TarReader number fields', () => {
  const modeOf = (mode: Buffer) => {
    let seen: number | null = null;
    const reader = new TarReader((header) => {
      seen = header.mode;
      return null;
    });
    reader.write(Buffer.concat([headerWithMode(mode), Buffer.alloc(1024)]));
    reader.finish();
    return seen;
  };

  // The fast way (digits, then spaces and NULs) and the general one must read alike.
  it.each([
    ['0000644\0', 0o644],
    ['000644 \0', 0o644],
    ['0644\0\0\0\0', 0o644],
    ['  644 \0\0', 0o644],
    ['0644\0xyz', 0o644],
    ['00000000', 0],
    ['\0\0\0\0\0\0\0\0', 0],
  ])('reads the mode %j as %i', (field, mode) => {
    expect(modeOf(Buffer.from(field, 'latin1'))).toBe(mode);
  });

  it.each(['0644 0\0\0', '06x4\0\0\0\0', '0648\0\0\0\0'])('refuses the mode %j', (field) => {
    expect(() => modeOf(Buffer.from(field, 'latin1'))).toThrow(/not a number/);
  });

  it('refuses a header whose checksum is off by one', () => {
    const block = headerWithMode(Buffer.from('0000644\0'));
    block[0]! += 1;
    const reader = new TarReader(() => null);
    expect(() => reader.write(block)).toThrow(/checksum is wrong/);
  });
});
