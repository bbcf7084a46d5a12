/**
 * The little of Python's pickle format Tend needs: to tell whether a `.pkl` file is whole, and
 * to write plain data for demos. Tend never unpickles anything (unpickling runs code).
 *
 * Opcodes from CPython's Lib/pickle.py (protocol 2): PROTO 0x80, STOP '.', EMPTY_DICT '}',
 * EMPTY_LIST ']', MARK '(', SETITEMS 'u', APPENDS 'e', TUPLE2 0x86, BININT 'J', BINFLOAT 'G',
 * BINUNICODE 'X', NONE 'N', NEWTRUE 0x88, NEWFALSE 0x89, GLOBAL 'c', EMPTY_TUPLE ')',
 * NEWOBJ 0x81, BUILD 'b'.
 */

/** Whether bytes look like a whole pickle of protocol 2 or later: PROTO first, STOP last. */
export function pickleLooksWhole(bytes: Buffer): boolean {
  if (bytes.length < 3) return false;
  const protocol = bytes[1] ?? 0;
  return bytes[0] === 0x80 && protocol >= 2 && protocol <= 5 && bytes[bytes.length - 1] === 0x2e;
}

/** A value the demo pickles. */
export type PickleValue =
  | null
  | boolean
  | number
  | string
  | ReadonlyArray<PickleValue>
  | { readonly tuple: readonly [PickleValue, PickleValue] }
  /** An instance of a Python class, built from its `__dict__` (how pickle saves plain objects). */
  | {
      readonly object: {
        readonly module: string;
        readonly name: string;
        readonly state: PickleValue;
      };
    }
  | ReadonlyMap<string | number, PickleValue>;

function encode(value: PickleValue, out: Buffer[]): void {
  if (value === null) {
    out.push(Buffer.from('N', 'latin1'));
  } else if (typeof value === 'boolean') {
    out.push(Buffer.from([value ? 0x88 : 0x89]));
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31) {
      const b = Buffer.alloc(5);
      b.write('J', 0, 'latin1');
      b.writeInt32LE(value, 1);
      out.push(b);
    } else {
      const b = Buffer.alloc(9);
      b.write('G', 0, 'latin1');
      b.writeDoubleBE(value, 1);
      out.push(b);
    }
  } else if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    const b = Buffer.alloc(5);
    b.write('X', 0, 'latin1');
    b.writeUInt32LE(text.length, 1);
    out.push(b, text);
  } else if (value instanceof Map) {
    out.push(Buffer.from('}(', 'latin1'));
    for (const [key, item] of value) {
      encode(key, out);
      encode(item, out);
    }
    out.push(Buffer.from('u', 'latin1'));
  } else if (Array.isArray(value)) {
    out.push(Buffer.from('](', 'latin1'));
    for (const item of value as ReadonlyArray<PickleValue>) encode(item, out);
    out.push(Buffer.from('e', 'latin1'));
  } else if ('object' in value) {
    const { module, name, state } = value.object;
    out.push(Buffer.from(`c${module}\n${name}\n)`, 'latin1'), Buffer.from([0x81]));
    encode(state, out);
    out.push(Buffer.from('b', 'latin1'));
  } else {
    const { tuple } = value as { tuple: readonly [PickleValue, PickleValue] };
    encode(tuple[0], out);
    encode(tuple[1], out);
    out.push(Buffer.from([0x86]));
  }
}

/** Pickles plain data (protocol 2), readable by Python's `pickle.load`. */
export function pickle(value: PickleValue): Buffer {
  const out: Buffer[] = [Buffer.from([0x80, 0x02])];
  encode(value, out);
  out.push(Buffer.from('.', 'latin1'));
  return Buffer.concat(out);
}
