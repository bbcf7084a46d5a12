import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf, formatCount, nounFor } from '../../../src-shared/language/counts';
import { withArticle } from '../../../src-shared/language/names';
import { TendFailure } from '../../../src-shared/tend-failure';
import { withoutByteOrderMark } from '../../../src-shared/content-errors';
import type {
  CollectionSummary,
  ImportResult,
  IndexHealth,
  UpkeepRun,
} from '../../../src-shared/models/vectors';
import type { Engine } from '../../engine/engine';
import type { CliContext } from '../cli-context';
import { readResult } from '../job-result';
import { oneOfOption, wholeOption } from '../option-values';

/** Parses a whole-number option of 1 or more, or says which one is wrong. */
function whole(value: string | undefined, name: string): number | undefined {
  return wholeOption(value, name, { min: 1 });
}

/**
 * What an empty list of collections means: none yet in a folder that keeps them, or a folder
 * whose profile keeps none of Tend's (a Jan or Ollama folder), where its stores are checked
 * another way.
 */
async function noCollections(engine: Engine): Promise<string> {
  const { profile } = await engine.call('root:info');
  if (profile.stores.some((store) => store.kind === 'hnswlib')) return 'No collections yet.';
  return `${capitalised(withArticle(profile.name))} folder keeps no collections of Tend's; tend profiles check checks its stores.`;
}

/** The text with its first letter in capitals: "An Open WebUI folder …". */
function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The distance spaces hnswlib offers. */
const spaces = ['cosine', 'l2', 'ip'] as const;

interface ParameterOptions {
  space?: string;
  m?: string;
  efConstruction?: string;
  ef?: string;
}

function parameters(opts: ParameterOptions) {
  return {
    ...(opts.space ? { space: oneOfOption(opts.space, '--space', spaces) } : {}),
    ...(opts.m ? { m: whole(opts.m, '--m') } : {}),
    ...(opts.efConstruction
      ? { efConstruction: whole(opts.efConstruction, '--ef-construction') }
      : {}),
    ...(opts.ef ? { ef: whole(opts.ef, '--ef') } : {}),
  };
}

/** The index options; an existing collection keeps its own (other values are refused). */
function withParameters(command: Command): Command {
  return command
    .option('--space <space>', 'cosine, l2 or ip (for a new collection)')
    .option('--m <n>', 'HNSW links per node (for a new collection)')
    .option('--ef-construction <n>', 'HNSW build breadth (for a new collection)')
    .option('--ef <n>', 'HNSW search breadth (for a new collection)');
}

function formatCollection(collection: CollectionSummary): string {
  const index = collection.index;
  const health = collection.lastHealth;
  const deleted =
    index && index.count > 0 ? `${((100 * index.deletedCount) / index.count).toFixed(1)}%` : '-';
  return [
    collection.id.padEnd(20),
    `${collection.chunkCount.toLocaleString('en')} chunks`.padStart(15),
    `dim ${collection.dimension} ${collection.space}`.padEnd(14),
    (index ? formatBytes(index.fileBytes) : 'no index').padStart(10),
    `deleted ${deleted}`.padEnd(14),
    health
      ? `${health.status}${health.recall === null ? '' : ` recall ${health.recall.toFixed(3)}`}`
      : 'not checked',
  ].join('  ');
}

function formatHealth(health: IndexHealth): string {
  const lines = [`${health.collection}: ${health.status}`];
  for (const check of health.checks) {
    lines.push(`  ${check.status.padEnd(7)}  ${check.name.padEnd(9)}  ${check.reason}`);
  }
  if (health.compactionReason) {
    lines.push(`  compaction started (${health.compactionReason})`);
  }
  return lines.join('\n');
}

function formatImport(result: ImportResult): string {
  const verb = result.dryRun ? 'Would import' : 'Imported';
  const lines = [
    `${verb} ${countOf(result.chunksAdded, 'chunk')} of ${formatCount(result.documentsAdded)} new ${nounFor(result.documentsAdded, 'document')} into ${result.collection}${result.createdCollection ? ' (new collection)' : ''}${result.indexCount === null ? '' : `; its index holds ${countOf(result.indexCount, 'vector')}`}.`,
  ];
  if (result.documentsSkipped > 0) {
    lines.push(
      `${countOf(result.documentsSkipped, 'document')} (${countOf(result.chunksSkipped, 'chunk')}) are already in the collection with the same chunks and were left as they are.`,
    );
  }
  return lines.join('\n');
}

/** Reads `--vector`: a JSON array, or @file holding one. */
function readVector(option: string): unknown {
  let text = option;
  if (option.startsWith('@')) {
    const file = path.resolve(option.slice(1));
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new TendFailure(
        'INVALID_INPUT',
        `Cannot read the vector file ${file}${code === 'ENOENT' ? ': it does not exist' : ` (${code ?? 'unreadable'})`}.`,
      );
    }
  }
  try {
    return JSON.parse(withoutByteOrderMark(text.trim()));
  } catch {
    throw new TendFailure(
      'INVALID_INPUT',
      `--vector must be a JSON array of numbers${option.startsWith('@') ? ' (the file is not one)' : ''}.`,
    );
  }
}

function formatUpkeep(run: UpkeepRun): string {
  const lines = run.databases.map((db) => {
    const parts = [
      `${db.database.padEnd(9)} ${formatBytes(db.bytesBefore)} → ${formatBytes(db.bytesAfter)}`,
      `${db.checkpointedFrames} WAL frames checkpointed`,
      db.vacuumed
        ? `vacuumed (${db.freePagesBefore} of ${db.pageCount} pages were free)`
        : 'no vacuum needed',
      db.integrity === null ? 'integrity check not due' : `integrity ${db.integrity}`,
    ];
    return parts.join(', ');
  });
  lines.push(`Reclaimed ${formatBytes(run.reclaimedBytes)}.`);
  return lines.join('\n');
}

/** The vectors verbs: `tend import`, and `tend vectors collections|create|search|delete|health|compact|upkeep`. */
export function registerVectorCommands(program: Command, context: CliContext): void {
  const { io, print, withEngine, followJob } = context;

  withParameters(
    program
      .command('import')
      .description(
        'import a JSONL file of {document, text, embedding, metadata} lines into a collection and its index (a document already there with the same chunks is skipped)',
      )
      .argument('<collection>', 'the collection (created when it does not exist)')
      .argument('<file>', 'the .jsonl file')
      .option('--dry-run', 'check every line and count what is new; write nothing'),
  ).action(
    async (
      collection: string,
      file: string,
      opts: ParameterOptions & { dryRun?: boolean },
      command: Command,
    ) => {
      await withEngine(command, async (engine) => {
        const job = await engine.call('vectors:import', {
          collection,
          file: path.resolve(file),
          dryRun: Boolean(opts.dryRun),
          ...parameters(opts),
        });
        const finished = await followJob(engine, job);
        const result = await readResult(finished, 'Import');
        print(command, result, () => formatImport(result));
      });
    },
  );

  const vectors = program
    .command('vectors')
    .description('collections, search, index health, compaction and SQLite upkeep');

  vectors
    .command('collections')
    .description('list the collections with their counts, index size and last health')
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const { collections } = await engine.call('vectors:collections');
        const none = collections.length === 0 ? await noCollections(engine) : '';
        print(command, collections, () =>
          collections.length === 0 ? none : collections.map(formatCollection).join('\n'),
        );
      });
    });

  withParameters(
    vectors
      .command('create')
      .description('create an empty collection')
      .argument('<collection>', 'its id: letters, digits, - and _')
      .requiredOption('--dimension <n>', 'the embedding dimension'),
  ).action(
    async (
      collection: string,
      opts: ParameterOptions & { dimension: string },
      command: Command,
    ) => {
      await withEngine(command, async (engine) => {
        const created = await engine.call('vectors:create-collection', {
          collection,
          dimension: whole(opts.dimension, '--dimension'),
          ...parameters(opts),
        });
        print(command, created, () => `Created ${formatCollection(created)}`);
      });
    },
  );

  vectors
    .command('search')
    .description('the nearest chunks to a stored chunk (--chunk) or a vector (--vector)')
    .argument('<collection>')
    .option('--chunk <id>', 'search from this chunk’s own embedding')
    .option('--vector <json|@file>', 'a JSON array of numbers, or @file holding one')
    .option('-k <n>', 'how many neighbours', '10')
    .option('--ef <n>', 'search breadth (default: the collection’s)')
    .action(
      async (
        collection: string,
        opts: { chunk?: string; vector?: string; k: string; ef?: string },
        command: Command,
      ) => {
        if ((opts.chunk === undefined) === (opts.vector === undefined)) {
          throw new TendFailure(
            'INVALID_INPUT',
            `Search from one of: --chunk ID (a chunk of the collection) or --vector '[…]' (or @file). Example: tend vectors search ${collection} --chunk 1`,
          );
        }
        const vector = opts.vector === undefined ? undefined : readVector(opts.vector);
        await withEngine(command, async (engine) => {
          const result = await engine.call('vectors:search', {
            collection,
            ...(opts.chunk ? { chunkId: whole(opts.chunk, '--chunk') } : {}),
            ...(vector !== undefined ? { vector } : {}),
            k: whole(opts.k, '-k'),
            ...(opts.ef ? { ef: whole(opts.ef, '--ef') } : {}),
          });
          print(command, result, () =>
            [
              `${result.hits.length} neighbours from the ${result.source === 'index' ? 'index' : 'stored vectors (exact; the index is being rebuilt)'} in ${result.tookMs} ms:`,
              ...result.hits.map(
                (hit) =>
                  `  ${hit.score.toFixed(4)}  #${String(hit.chunkId).padEnd(7)} ${hit.documentTitle}: ${hit.text.slice(0, 80).replace(/\s+/g, ' ')}`,
              ),
            ].join('\n'),
          );
          if (result.rebuildJobId) {
            // A one-shot command would cancel the rebuild on exit, and every later search would
            // stay on the slow exact path: wait for it here, and say so.
            io.stderr(
              `The index of ${result.collection} is being rebuilt from the database; waiting for it so the next search uses it.\n`,
            );
            try {
              await followJob(engine, engine.requireSession().jobs.get(result.rebuildJobId));
              io.stderr(`The index of ${result.collection} is rebuilt.\n`);
            } catch (error) {
              // The search itself answered; the rebuild's failure is news, not this command's.
              io.stderr(
                `The rebuild of the index of ${result.collection} did not finish: ${(error as Error).message}\n`,
              );
            }
          }
        });
      },
    );

  vectors
    .command('delete')
    .description('delete documents; their chunks are marked deleted in the index')
    .argument('<collection>')
    .argument('<documents...>', 'document ids')
    .action(async (collection: string, documentIds: string[], _opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const job = await engine.call('vectors:delete-documents', { collection, documentIds });
        const finished = await followJob(engine, job);
        const result = await readResult(finished, 'DocumentDelete');
        const already =
          result.alreadyDeleted.length > 0
            ? ` ${result.alreadyDeleted.length} were deleted before: ${result.alreadyDeleted.join(', ')}.`
            : '';
        if (result.compactionJobId) {
          io.stderr(`Compacting the index of ${collection}: ${result.compactionReason}.\n`);
          // Followed here: a one-shot command would otherwise cancel it on exit.
          await followJob(engine, engine.requireSession().jobs.get(result.compactionJobId));
        }
        print(
          command,
          result,
          () =>
            `Deleted ${countOf(result.documentsDeleted, 'document')}, ${countOf(result.chunksDeleted, 'chunk')}.${already}${result.compactionJobId ? ` The index was compacted (${result.compactionReason}).` : ''}`,
        );
      });
    });

  vectors
    .command('health')
    .description(
      'check indexes: loads, agrees with the database, deleted share, recall@10, dimension',
    )
    .argument('[collection]', 'one collection (default: all)')
    .action(async (collection: string | undefined, _opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const job = await engine.call('vectors:health', collection ? { collection } : {});
        const finished = await followJob(engine, job);
        const { collections } = await readResult(finished, 'IndexHealth');
        // A compaction the check started finishes before the command returns.
        for (const health of collections) {
          if (health.compactionJobId) {
            await followJob(engine, engine.requireSession().jobs.get(health.compactionJobId));
          }
        }
        const none = collections.length === 0 ? await noCollections(engine) : '';
        print(command, collections, () =>
          collections.length === 0 ? none : collections.map(formatHealth).join('\n'),
        );
      });
    });

  vectors
    .command('compact')
    .description('rebuild a collection’s index from the database and swap it in')
    .argument('<collection>')
    .action(async (collection: string, _opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const finished = await followJob(
          engine,
          await engine.call('vectors:compact', { collection }),
        );
        const record = await readResult(finished, 'Compaction');
        print(command, finished.result, () => {
          return `Compacted ${collection}: ${record.vectorsAfter} vectors, ${formatBytes(record.bytesAfter)}, in ${record.seconds.toFixed(1)}s.`;
        });
      });
    });

  vectors
    .command('upkeep')
    .description(
      'SQLite upkeep of assistant.db and the catalog (checkpoint, optimize, integrity, vacuum)',
    )
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const finished = await followJob(engine, await engine.call('vectors:upkeep'));
        const run = await readResult(finished, 'Upkeep');
        print(command, finished.result, () => formatUpkeep(run));
      });
    });
}
