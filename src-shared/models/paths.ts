/**
 * Paths that cross the contract. Every field of a channel's input that names a file or folder
 * on the person's machine is made with `pathField(access)`, which marks it in `pathFields`;
 * the engine's path gate finds the marked fields of a channel and checks each before the
 * handler runs (src-main/engine/root/path-gate.ts). A field made any other way is not a path.
 */
import { z } from 'zod';

/** What a channel does with a path it is given. */
export const pathAccesses = [
  /** An existing folder to manage as the data root. */
  'root',
  /** A new or empty folder to make a data root in. */
  'new-root',
  /** A file to read (an import). */
  'read-file',
  /** A folder to read (backups to import). */
  'read-folder',
  /** A file to write (an export); never replaces one unless the input says so. */
  'write-file',
  /** A new or empty folder to write into (a restore export). */
  'write-folder',
  /** A folder that receives backups. */
  'destination',
  /** A backup id, or the path of a backup archive to read. */
  'backup-ref',
] as const;

/** What a channel does with a path it is given. */
export type PathAccess = (typeof pathAccesses)[number];

/** The marks on path fields: which access each one is. */
export const pathFields = z.registry<{ access: PathAccess }>();

/**
 * A path field of a channel's input: a string the path gate checks for `access` before the
 * handler runs. Use the schema it returns as it is (`.optional()`, `.nullable()` and
 * `.default()` keep the mark; a refinement or `.max()` would make an unmarked copy).
 */
export function pathField(access: PathAccess, required = 'A path is required') {
  const schema = z.string().min(1, required).max(4096);
  pathFields.add(schema, { access });
  return schema;
}

/** Where a path field sits in an input: object keys, `*` for every element of an array. */
export type FieldLocation = ReadonlyArray<string>;

/** One marked field found in an input schema. */
export interface PathFieldEntry {
  readonly at: FieldLocation;
  readonly access: PathAccess;
}

/** The parts of a zod schema's definition the walk reads. */
interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: ReadonlyArray<z.ZodType>;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/**
 * Every marked path field of a schema, with where it sits: through objects, optionals,
 * defaults, nullables, pipes, arrays and every option of a union.
 */
export function collectPathFields(schema: z.ZodType, at: FieldLocation = []): PathFieldEntry[] {
  const mark = pathFields.get(schema);
  if (mark) return [{ at, access: mark.access }];
  const def = defOf(schema);
  const found: PathFieldEntry[] = [];
  for (const inner of [def.innerType, def.in, def.out]) {
    if (inner) found.push(...collectPathFields(inner, at));
  }
  if (def.type === 'array' && def.element) {
    found.push(...collectPathFields(def.element, [...at, '*']));
  }
  if (def.type === 'object' && def.shape) {
    for (const [key, child] of Object.entries(def.shape)) {
      found.push(...collectPathFields(child, [...at, key]));
    }
  }
  for (const option of def.options ?? []) found.push(...collectPathFields(option, at));
  // A union's options may mark the same place twice.
  return found.filter(
    (entry, index) =>
      found.findIndex((other) => other.at.join('/') === entry.at.join('/')) === index,
  );
}

/** One path value found in an input, with the object that holds it (for flags like `replace`). */
export interface PathValue {
  readonly value: string;
  readonly access: PathAccess;
  readonly holder: Readonly<Record<string, unknown>>;
}

/**
 * Calls `check` on every string at a marked location of a parsed input, and answers the input
 * with each value replaced by what `check` gave back. Missing and null values are left alone.
 */
export async function mapPathValues(
  input: unknown,
  fields: ReadonlyArray<PathFieldEntry>,
  check: (found: PathValue) => Promise<string>,
): Promise<unknown> {
  let result = input;
  for (const field of fields) {
    result = await mapAt(result, field.at, field.access, check);
  }
  return result;
}

async function mapAt(
  node: unknown,
  at: FieldLocation,
  access: PathAccess,
  check: (found: PathValue) => Promise<string>,
  holder: Readonly<Record<string, unknown>> = {},
): Promise<unknown> {
  if (at.length === 0) {
    return typeof node === 'string' ? check({ value: node, access, holder }) : node;
  }
  const [key, ...rest] = at;
  if (key === '*') {
    if (!Array.isArray(node)) return node;
    const mapped: unknown[] = [];
    for (const item of node) mapped.push(await mapAt(item, rest, access, check, holder));
    return mapped;
  }
  if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key!)) return node;
  const record = node as Record<string, unknown>;
  return { ...record, [key!]: await mapAt(record[key!], rest, access, check, record) };
}

/** The prefix of the opaque handles the desktop's picker gives for what the person chose. */
export const PATH_HANDLE_PREFIX = 'tend-picked:';

/** Whether a path field's value is a picker's handle rather than a typed path. */
export function isPathHandle(value: string): boolean {
  return value.startsWith(PATH_HANDLE_PREFIX);
}

/** Why the desktop's picker is opened: each allows the path it gives for some accesses only. */
export const pickPurposes = [
  'open',
  'create',
  'destination',
  'export-folder',
  'import-folder',
  'import-file',
  'export-file',
] as const;
export type PickPurpose = (typeof pickPurposes)[number];

/** What a picked folder or file may be used for: a folder picked to open is not an export. */
export const accessesOfPurpose: Readonly<Record<PickPurpose, ReadonlyArray<PathAccess>>> = {
  // The folder the person chose as the data folder: opened, or made a new one when empty.
  open: ['root', 'new-root'],
  create: ['new-root', 'root'],
  destination: ['destination', 'read-folder'],
  'export-folder': ['write-folder'],
  'import-folder': ['read-folder'],
  'import-file': ['read-file', 'backup-ref'],
  'export-file': ['write-file'],
};

/** What the picker answers: the handle to pass back, and the path to show. Null: cancelled. */
export const PickedPathSchema = z.object({
  path: z.string().nullable(),
  handle: z.string().nullable(),
});
export type PickedPath = z.infer<typeof PickedPathSchema>;
