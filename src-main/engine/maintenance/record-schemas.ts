import { z } from 'zod';

const iso = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'must be an ISO 8601 UTC time');
// CSV has no null: an empty cell is one.
const nullable = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((value) => (value === '' ? null : value), schema.nullable());

// A decimal number as JSON or a CSV cell writes it: no hex (`0x10`), no `Infinity`.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A number from JSON, or from a CSV cell holding a decimal. An empty cell is a missing value,
 * never a zero; anything else (`0x10`, `1e999`, `ten`) is refused, never read another way.
 */
const decimal = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const cell = value.trim();
    if (cell === '') return null;
    return DECIMAL.test(cell) ? Number(cell) : value;
  },
  z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : issue.input === null
            ? 'is empty: a missing value, where a number is needed'
            : 'must be a decimal number',
    })
    .finite(),
);
const int = decimal.pipe(z.number().int('must be a whole number'));
/** A number that may be missing: an empty CSV cell or JSON null. */
const optionalInt = z.preprocess((value) => (value === '' ? null : value), int.nullable());

/** One collection as exported (its settings; documents and vectors travel in backups). */
export const CollectionRecordSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().min(1),
    dimension: int.pipe(z.number().min(1)),
    space: z.enum(['cosine', 'l2', 'ip']),
    m: int.pipe(z.number().min(2)),
    ef_construction: int.pipe(z.number().min(1)),
    ef_search: int.pipe(z.number().min(1)),
    created_at: iso,
  })
  .strict();

/** One chat message. */
export const ChatMessageRecordSchema = z
  .object({
    role: z.enum(['user', 'assistant', 'system']),
    content: z.string(),
    created_at: iso,
  })
  .strict();

/** One chat session with its messages (JSON Lines). */
export const ChatSessionRecordSchema = z
  .object({
    id: z.string().min(1),
    collection_id: z.string().min(1).nullable(),
    title: z.string(),
    created_at: iso,
    updated_at: iso,
    messages: z.array(ChatMessageRecordSchema),
  })
  .strict();

/** One row of a chat export as CSV: a message with its session's columns. */
export const ChatCsvRowSchema = z
  .object({
    session_id: z.string().min(1),
    collection_id: nullable(z.string().min(1)),
    title: z.string(),
    session_created_at: iso,
    session_updated_at: iso,
    // A session without messages has one row with these empty.
    role: nullable(z.enum(['user', 'assistant', 'system'])),
    content: z.string(),
    message_created_at: nullable(iso),
  })
  .strict();

/** One analytics row; `id` is ignored on import (the store numbers rows itself). */
export const InteractionRecordSchema = z
  .object({
    id: z.unknown().optional(),
    session_id: z.string().min(1),
    timestamp: iso,
    user_role: z.string().min(1),
    query: z.string(),
    query_type: z.string().min(1),
    response_time_ms: decimal.pipe(z.number().min(0)),
    response_length: int.pipe(z.number().min(0)),
    success: z.preprocess(
      (value) =>
        value === true || value === 'true' || value === '1'
          ? 1
          : value === false || value === 'false' || value === '0'
            ? 0
            : value === ''
              ? null
              : value,
      z.union([z.literal(0), z.literal(1)], {
        error: (issue) =>
          issue.input === undefined
            ? undefined
            : issue.input === null
              ? 'is empty: a missing value, where 0 or 1 is needed'
              : 'must be 0, 1, true or false',
      }),
    ),
    user_rating: optionalInt.pipe(z.number().min(1).max(5).nullable()),
    ip: nullable(z.string()),
    created_at: iso,
    scrubbed_at: nullable(iso).optional(),
  })
  .strict();

/** Columns a CSV may leave out (each kind's others must be in its header). */
export const optionalCsvColumns: Readonly<Record<keyof typeof csvColumns, ReadonlyArray<string>>> =
  {
    collections: [],
    'chat-sessions': [],
    interactions: ['id', 'scrubbed_at'],
  };

/** The columns of each kind's CSV, in order. */
export const csvColumns = {
  collections: [
    'id',
    'name',
    'dimension',
    'space',
    'm',
    'ef_construction',
    'ef_search',
    'created_at',
  ],
  'chat-sessions': [
    'session_id',
    'collection_id',
    'title',
    'session_created_at',
    'session_updated_at',
    'role',
    'content',
    'message_created_at',
  ],
  interactions: [
    'id',
    'session_id',
    'timestamp',
    'user_role',
    'query',
    'query_type',
    'response_time_ms',
    'response_length',
    'success',
    'user_rating',
    'ip',
    'created_at',
    'scrubbed_at',
  ],
} as const;
