import { describe, expect, it } from 'vitest';
import {
  isIrreducible,
  isIrreducibleBigint,
  randomPolynomial,
} from '../../../../src-main/engine/repository/chunker-polynomial';
import { goFileMode, posixPermissions } from '../../../../src-main/engine/repository/go-file-mode';
import { goJsonString } from '../../../../src-main/engine/repository/go-json';
import { quoteName, unquoteName } from '../../../../src-main/engine/repository/go-quote';
import { formatGoTime, parseGoTime } from '../../../../src-main/engine/repository/go-time';
import { decodeIndex, encodeIndex } from '../../../../src-main/engine/repository/index-file';
import {
  decodePackHeader,
  encodePackHeader,
  packSizeOf,
  type PackedBlob,
} from '../../../../src-main/engine/repository/pack-format';
import {
  AuthenticationError,
  newRandomKey,
  open,
  poly1305Aes,
  seal,
} from '../../../../src-main/engine/repository/restic-crypto';
import {
  decodeTree,
  encodeNode,
  encodeNodeGeneral,
  encodeTree,
  type TreeNode,
} from '../../../../src-main/engine/repository/tree-node';

const hex = (text: string) => Buffer.from(text, 'hex');

describe('restic crypto', () => {
  // restic internal/crypto/crypto_int_test.go, poly1305Tests (from the Poly1305-AES paper).
  it.each([
    {
      msg: 'f3f6',
      r: '851fc40c3467ac0be05cc20404f3f700',
      k: 'ec074c835580741701425b623235add6',
      nonce: 'fb447350c4e868c52ac3275cf9d4327e',
      mac: 'f4c633c3044fc145f84f335cb81953de',
    },
    {
      msg: '',
      r: 'a0f30800 00f46400d0c7e9076c834403'.replace(' ', ''),
      k: '75deaa25c09f208e1dc4ce6b5cad3fbf',
      nonce: '61ee09218d29b0aaed7e154a2c5509cc',
      mac: 'dd3fab2251f11ac759f0887129cc2ee7',
    },
    {
      msg: '663cea190ffb83d89593f3f476b6bc24d7e679107ea26adb8caf6652d0656136',
      r: '48443d0bb0d21109c89a100b5ce2c208',
      k: '6acb5f61a7176dd320c5c1eb2edcdc74',
      nonce: 'ae212a55399729595dea458bc621ff0e',
      mac: '0ee1c16bb73f0f4fd19881753c01cdbe',
    },
  ])('Poly1305-AES matches restic’s test vector $mac', ({ msg, r, k, nonce, mac }) => {
    expect(
      Buffer.from(poly1305Aes({ macK: hex(k), macR: hex(r) }, hex(nonce), hex(msg))).toString(
        'hex',
      ),
    ).toBe(mac);
  });

  it('opens restic’s sealed test value (crypto_int_test.go, testValues)', () => {
    const key = {
      encrypt: hex('303e8687b1d7db18421bdc6bb8588ccadac4d59ee87b8ff70c44e635790cafef'),
      macK: hex('ef4d8824cb80b2bcc5fbff8a9b12a42c'),
      macR: hex('cc8d4b948ee0ebfe1d415de921d10353'),
    };
    const sealed = hex(
      '69fb41c62d12def4593bd71757138606338f621aeaeb39da0fe4f99233f8037a54ea63338a813bcf3f75d8c3cc75dddf8750',
    );
    expect(open(key, sealed).toString()).toBe('Dies ist ein Test!');
  });

  it('seals with a fresh IV and refuses any flipped bit', () => {
    const key = newRandomKey();
    const one = seal(key, Buffer.from('hello'));
    const two = seal(key, Buffer.from('hello'));
    expect(one.length).toBe(5 + 32);
    expect(one.equals(two)).toBe(false);
    expect(open(key, one).toString()).toBe('hello');
    for (const bit of [0, 8 * 16, 8 * 21 + 3, one.length * 8 - 1]) {
      const flipped = Buffer.from(one);
      flipped[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => open(key, flipped)).toThrow(AuthenticationError);
    }
  });

  it('uses libsodium’s Poly1305 where it loads, and it tags as @noble/ciphers does', async () => {
    const { POLY1305_IMPLEMENTATION, poly1305Noble } =
      await import('../../../../src-main/engine/repository/restic-crypto');
    // sodium-native ships a prebuilt binary for this platform: the fast path must be the one here.
    expect(POLY1305_IMPLEMENTATION).toBe('libsodium');
    const key = newRandomKey();
    const { randomBytes } = await import('node:crypto');
    for (const size of [0, 1, 15, 16, 17, 1000, 65_537]) {
      const message = randomBytes(size);
      const nonce = randomBytes(16);
      const { createCipheriv } = await import('node:crypto');
      const aes = createCipheriv('aes-128-ecb', key.macK, null).setAutoPadding(false);
      const oneTimeKey = Buffer.concat([key.macR, aes.update(nonce)]);
      expect(Buffer.from(poly1305Aes(key, nonce, message))).toEqual(
        Buffer.from(poly1305Noble(message, oneTimeKey)),
      );
    }
  });
});

describe('Go encodings restic relies on', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['<x>&', '"\\u003cx\\u003e\\u0026"'],
    ['tab\tnl\n\u0001', '"tab\\tnl\\n\\u0001"'],
    ['\u2028', '"\\u2028"'],
    ['日本', '"日本"'],
  ])('goJsonString(%j) = %s', (input, expected) => {
    expect(goJsonString(input)).toBe(expected);
  });

  it.each([
    ['simple.txt', 'simple.txt'],
    ['we"ird<&>.txt', 'we\\"ird<&>.txt'],
    ['back\\slash', 'back\\\\slash'],
    ['new\nline', 'new\\nline'],
    ['bell\u0007', 'bell\\a'],
    ['del\u007f', 'del\\x7f'],
    ['nbsp\u00a0', 'nbsp\\u00a0'],
    ['日本語 ファイル', '日本語 ファイル'],
    ['emoji 😀', 'emoji 😀'],
  ])('quoteName(%j) is strconv.Quote without quotes and unquotes back', (name, stored) => {
    expect(quoteName(name)).toBe(stored);
    expect(unquoteName(stored)).toBe(name);
  });

  it('keeps a stored name that is not UTF-8 apart', () => {
    expect(unquoteName('bad\\xff')).toBeNull();
  });

  it.each([
    ['a bare quote', 'say "hi"', null],
    ['a lone surrogate (as JSON can carry)', 'lone \ud800', 'lone \ufffd'],
    ['a pair of surrogates', 'emoji \ud83d\ude00', 'emoji 😀'],
    ['an empty name', '', ''],
  ])('unquotes %s as strconv.Unquote and UTF-8 would', (_, stored, name) => {
    expect(unquoteName(stored)).toBe(name);
  });

  it.each([
    [1_417_256_879_912_418_701n, 0, '2014-11-29T10:27:59.912418701Z'],
    [1_417_256_879_000_000_000n, 60, '2014-11-29T11:27:59+01:00'],
    [1_417_256_879_100_000_000n, -330, '2014-11-29T04:57:59.1-05:30'],
  ])('formatGoTime(%s, %s) = %s and parses back', (ns, offset, text) => {
    expect(formatGoTime(ns, offset)).toBe(text);
    expect(parseGoTime(text)).toBe(ns);
  });

  it.each([
    ['2014-11-29T10:27:59Z', 1_417_256_879_000_000_000n],
    ['2014-11-29T10:27:59.9Z', 1_417_256_879_900_000_000n],
    ['2014-11-29T10:27:59.000000001Z', 1_417_256_879_000_000_001n],
    ['2014-11-29T11:27:59.5+01:00', 1_417_256_879_500_000_000n],
    ['2014-11-29T04:57:59-05:30', 1_417_256_879_000_000_000n],
    ['1969-12-31T23:59:59.5Z', -500_000_000n],
    ['0001-01-01T00:00:00Z', -62_135_596_800_000_000_000n],
  ])('parseGoTime(%s) = %s, by the quick path or the general one alike', (text, ns) => {
    expect(parseGoTime(text)).toBe(ns);
  });

  it.each([
    '2014-11-29T10:27:59',
    '2014-11-29T10:27:59.Z',
    '2014-11-29T10:27:59.1234567891Z',
    '2014-11-29T10:27:59+0100',
    '2014-11-29 10:27:59Z',
  ])('parseGoTime refuses %s', (text) => {
    expect(() => parseGoTime(text)).toThrow(/RFC 3339/);
  });

  it.each([
    ['plain.txt', 'plain.txt'],
    ['a\\\\b', 'a\\b'],
    ['say \\"hi\\"', 'say "hi"'],
    ['\ud83d\ude00 a pair', '😀 a pair'],
    ['lone \ud800', 'lone \ufffd'],
  ])('unquoteName(%j) = %j', (stored, name) => {
    expect(unquoteName(stored)).toBe(name);
  });

  it('keeps a stored name with a bare quote apart', () => {
    expect(unquoteName('a"b')).toBeNull();
  });

  it.each([
    [0o100644, 420],
    [0o040755, 2147484141],
    [0o120777, 134218239],
    [0o010644, 33554852],
    [0o104755, 2 ** 23 + 0o755],
    [0o041777, 2 ** 31 + 2 ** 20 + 0o777],
  ])('goFileMode(%o) = %d and back to its permissions', (posix, go) => {
    expect(goFileMode(posix)).toBe(go);
    expect(posixPermissions(go)).toBe(posix & 0o7777);
  });
});

describe('pack, index and tree encodings', () => {
  const blobs: PackedBlob[] = [
    { id: 'a'.repeat(64), type: 'data', offset: 0, length: 47, uncompressedLength: 6 },
    { id: 'b'.repeat(64), type: 'data', offset: 47, length: 100, uncompressedLength: 0 },
  ];

  it('writes and reads a pack header, and sizes a pack as restic does', () => {
    const header = encodePackHeader(blobs);
    expect(header.length).toBe(41 + 37);
    expect(header[0]).toBe(2);
    expect(header[41]).toBe(0);
    expect(decodePackHeader(header)).toEqual(blobs);
    expect(packSizeOf(blobs)).toBe(147 + 78 + 32 + 4);
  });

  it('writes index JSON with uncompressed_length only for compressed blobs and supersedes when set', () => {
    const json = encodeIndex({
      supersedes: ['c'.repeat(64)],
      packs: [{ id: 'd'.repeat(64), blobs }],
    }).toString();
    expect(json).toContain('"supersedes":["cccc');
    expect(json.match(/uncompressed_length/g)).toHaveLength(1);
    expect(decodeIndex(Buffer.from(json))).toEqual({
      supersedes: ['c'.repeat(64)],
      packs: [{ id: 'd'.repeat(64), blobs }],
    });
  });

  const indexBlob = { id: 'a'.repeat(64), type: 'data', offset: 0, length: 47 };

  it.each([
    ['the old format (a bare array)', []],
    ['a pack id that is not an id', { packs: [{ id: 'x', blobs: [] }] }],
    [
      'a blob type restic does not have',
      { packs: [{ id: 'd'.repeat(64), blobs: [{ ...indexBlob, type: 'big' }] }] },
    ],
    [
      'a negative offset',
      { packs: [{ id: 'd'.repeat(64), blobs: [{ ...indexBlob, offset: -1 }] }] },
    ],
    [
      'a fractional length',
      { packs: [{ id: 'd'.repeat(64), blobs: [{ ...indexBlob, length: 1.5 }] }] },
    ],
    [
      'a bad uncompressed length',
      { packs: [{ id: 'd'.repeat(64), blobs: [{ ...indexBlob, uncompressed_length: '6' }] }] },
    ],
    ['a superseded id that is not an id', { supersedes: ['C'.repeat(64)], packs: [] }],
  ])('refuses an index with %s, as the schema says', (_, json) => {
    expect(() => decodeIndex(Buffer.from(JSON.stringify(json)))).toThrow();
  });

  it('reads an index with null packs and null blobs', () => {
    expect(decodeIndex(Buffer.from('{"packs":null}'))).toEqual({ supersedes: [], packs: [] });
    expect(decodeIndex(Buffer.from(`{"packs":[{"id":"${'d'.repeat(64)}","blobs":null}]}`))).toEqual(
      {
        supersedes: [],
        packs: [{ id: 'd'.repeat(64), blobs: [] }],
      },
    );
  });

  const goodBlob = { id: 'a'.repeat(64), type: 'data', offset: 0, length: 47 };
  it.each([
    ['a blob id that is not hex', { ...goodBlob, id: 'g'.repeat(64) }],
    ['a short blob id', { ...goodBlob, id: 'a'.repeat(63) }],
    ['an unknown blob type', { ...goodBlob, type: 'parity' }],
    ['a negative offset', { ...goodBlob, offset: -1 }],
    ['a fractional length', { ...goodBlob, length: 4.5 }],
    ['a text uncompressed_length', { ...goodBlob, uncompressed_length: '6' }],
    ['a blob that is not an object', 'a'.repeat(64)],
  ])('refuses an index with %s', (_, blob) => {
    const json = JSON.stringify({ packs: [{ id: 'd'.repeat(64), blobs: [goodBlob, blob] }] });
    expect(() => decodeIndex(Buffer.from(json))).toThrow(/blobs must be a list/);
  });

  it.each([
    ['an id that is not hex', ['Z'.repeat(64)]],
    ['an id of the wrong length', ['a'.repeat(65)]],
    ['a number', [7]],
    ['not a list', 'a'.repeat(64)],
  ])('refuses a tree whose file content has %s', (_, content) => {
    const tree = { nodes: [{ name: 'f', type: 'file', content }] };
    expect(() => decodeTree(Buffer.from(JSON.stringify(tree)))).toThrow(/content must be a list/);
  });

  it('writes a tree exactly as restic 0.14 wrote the same node', () => {
    // From `restic cat blob` of a tree restic 0.14 wrote (file a.txt, UTC machine).
    const restic =
      '{"nodes":[{"name":"a.txt","type":"file","mode":420,"mtime":"2026-11-30T10:20:29.932752483Z","atime":"2026-11-30T10:20:29.932752483Z","ctime":"2026-11-30T10:20:29.932752483Z","uid":0,"gid":0,"user":"root","group":"root","inode":2228237,"device_id":65024,"size":6,"links":1,"content":["5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"]}]}\n';
    const nodes = decodeTree(Buffer.from(restic));
    const node: TreeNode = nodes[0]!;
    expect(node.mtime).toBe(1_796_034_029_932_752_483n);
    const zone = process.env.TZ;
    process.env.TZ = 'UTC'; // restic wrote the times in its machine's zone, UTC here
    try {
      expect(encodeTree([node]).toString()).toBe(restic);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  const dirNode = {
    name: 'b',
    type: 'dir',
    mtime: '2020-01-01T00:00:00Z',
    uid: 0,
    gid: 0,
    content: null,
    subtree: 'e'.repeat(64),
  };

  it.each([
    ['a type restic does not have', { ...dirNode, type: 'folder' }],
    ['a name that is not a string', { ...dirNode, name: 7 }],
    ['a subtree that is not an id', { ...dirNode, subtree: 'E'.repeat(64) }],
    ['a content id too short', { ...dirNode, type: 'file', content: ['ab'] }],
    ['a negative size', { ...dirNode, size: -1 }],
    ['a fractional uid', { ...dirNode, uid: 1.5 }],
    ['a time that is not a string', { ...dirNode, mtime: 5 }],
    ['a negative inode', { ...dirNode, inode: -3 }],
  ])('refuses a tree with %s, as the schema says', (_, node) => {
    expect(() => decodeTree(Buffer.from(JSON.stringify({ nodes: [node] })))).toThrow();
  });

  it('reads a tree with null nodes, and ignores fields it does not know', () => {
    expect(decodeTree(Buffer.from('{"nodes":null}'))).toEqual([]);
    const [node] = decodeTree(Buffer.from(JSON.stringify({ nodes: [{ ...dirNode, extra: 1 }] })));
    expect(node).toMatchObject({ name: 'b', type: 'dir', subtree: 'e'.repeat(64) });
  });

  const fileNode: TreeNode = {
    name: 'a.txt',
    type: 'file',
    mode: 420,
    mtime: 1_796_034_029_932_752_483n,
    atime: 1_796_034_029_000_000_000n,
    ctime: -1_500_000_000n,
    uid: 1000,
    gid: 1000,
    user: 'me',
    group: 'staff',
    inode: 2n ** 60n + 3n,
    deviceId: 65024n,
    size: 6,
    links: 1,
    content: ['5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03'],
  };

  it.each([
    ['a plain file', fileNode],
    ['a name with quotes, tags and a newline', { ...fileNode, name: 'a "b" <c> & d\n' }],
    ['a name beyond ASCII', { ...fileNode, name: 'nbsp\u00a0 日本 😀 \u2028' }],
    ['an empty file', { ...fileNode, size: 0, content: [] }],
    [
      'a folder',
      { ...fileNode, type: 'dir', mode: 2147484141, content: null, subtree: 'e'.repeat(64) },
    ],
    ['a symlink', { ...fileNode, type: 'symlink', linktarget: '../x <&>', content: null }],
    ['a device', { ...fileNode, type: 'dev', device: 2049n, content: null, user: '', group: '' }],
    ['zero fields', { ...fileNode, mode: 0, uid: 0, gid: 0, inode: 0n, deviceId: 0n, links: 0 }],
  ] as Array<[string, TreeNode]>)('writes %s as the general Go encoder does', (_, node) => {
    for (const zone of ['UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/St_Johns']) {
      const before = process.env.TZ;
      process.env.TZ = zone;
      try {
        expect(encodeNode(node)).toBe(encodeNodeGeneral(node));
        expect(decodeTree(encodeTree([node]))[0]).toMatchObject({
          mtime: node.mtime,
          name: node.name,
        });
      } finally {
        if (before === undefined) delete process.env.TZ;
        else process.env.TZ = before;
      }
    }
  });

  it.each([
    // Europe/Berlin moved from +01:00 to +02:00 at 2021-03-28T01:00:00Z, and back at 2021-10-31T01:00:00Z.
    [1_616_893_199_000_000_000n, '2021-03-28T01:59:59+01:00'],
    [1_616_893_200_000_000_000n, '2021-03-28T03:00:00+02:00'],
    [1_635_641_999_500_000_000n, '2021-10-31T02:59:59.5+02:00'],
    [1_635_642_000_000_000_000n, '2021-10-31T02:00:00+01:00'],
  ])('formats %s in Europe/Berlin as %s, either side of a change of offset', (ns, text) => {
    const before = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      expect(formatGoTime(ns)).toBe(text);
      expect(parseGoTime(text)).toBe(ns);
    } finally {
      if (before === undefined) delete process.env.TZ;
      else process.env.TZ = before;
    }
  });

  it('refuses nodes out of order', () => {
    const node = decodeTree(
      Buffer.from(
        '{"nodes":[{"name":"b","type":"dir","mtime":"2020-01-01T00:00:00Z","atime":"2020-01-01T00:00:00Z","ctime":"2020-01-01T00:00:00Z","uid":0,"gid":0,"content":null,"subtree":"' +
          'e'.repeat(64) +
          '"}]}',
      ),
    )[0]!;
    expect(() => encodeTree([node, { ...node, name: 'a' }])).toThrow(/out of order/);
  });
});

describe('chunker polynomial', () => {
  it('knows irreducible polynomials from reducible ones', () => {
    expect(isIrreducible(0x25b468838dcb75n)).toBe(true); // from restic's design document
    expect(isIrreducible(0x35e3f118ef3873n)).toBe(true); // from a config restic 0.14 wrote here
    expect(isIrreducible(0x25b468838dcb74n)).toBe(false); // divisible by x
    expect(isIrreducible((1n << 53n) | 1n | (1n << 1n) | 2n)).toBe(isIrreducible((1n << 53n) | 1n));
  });

  it('tests irreducibility on 32-bit words as on bigints, for every degree up to 62', () => {
    // xorshift, so the same polynomials each run.
    let seed = 0x2545f491;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return BigInt(seed >>> 0);
    };
    let irreducible = 0;
    for (let i = 0; i < 600; i++) {
      const degree = BigInt(2 + (i % 61));
      const p = (((next() << 32n) | next()) & ((1n << degree) - 1n)) | (1n << degree) | 1n;
      expect(isIrreducible(p), p.toString(16)).toBe(isIrreducibleBigint(p));
      if (isIrreducible(p)) irreducible += 1;
    }
    expect(irreducible).toBeGreaterThan(10);
  });

  it('tests irreducibility as Ben-Or on bigints does, for every polynomial of degree 2 to 11', () => {
    // Every degree's prime factors differ (2, 3, 2·3, 7, 2·5 …), each an exact test of its own.
    for (let degree = 2n; degree <= 11n; degree++) {
      for (let low = 0n; low < 1n << degree; low++) {
        const p = (1n << degree) | low;
        expect(isIrreducible(p), p.toString(16)).toBe(isIrreducibleBigint(p));
      }
    }
  });

  it('draws a degree-53 irreducible polynomial', () => {
    const p = randomPolynomial();
    expect(p.toString(2).length).toBe(54);
    expect(isIrreducible(p)).toBe(true);
  });
});
