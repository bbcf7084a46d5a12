import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { formatBytes } from '../../../src-shared/language/bytes';
import { countOf, formatCount, nounFor } from '../../../src-shared/language/counts';
import { TendFailure } from '../../../src-shared/errors';
import type {
  CollectionSummary,
  ImportResult,
  IndexHealth,
  UpkeepRun,
} from '../../../src-shared/models/vectors';
import type { CliContext } from '../cli-context';

/** Parses a whole-number option, or says which one is wrong. */
function whole(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new TendFailure(
      'INVALID_INPUT',
      `${name} must be a whole number of 1 or more, not ${value}.`,
    );
  }
  return number;
}

interface ParameterOptions {
  space?: string;
  m?: string;
  efConstruction?: string;
  ef?: string;
}

function parameters(opts: ParameterOptions) {
  return {
    ...(opts.space ? { space: opts.space } : {}),
    ...(opts.m ? { m: whole(opts.m, '--m') } : {}),
    ...(opts.efConstruction
      ? { efConstruction: whole(opts.efConstruction, '--ef-construction') }
      : {}),
    ...(opts.ef ? { ef: whole(opts.ef, '--ef') } : {}),
  };
}

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
  const { print, withEngine, followJob } = context;

  withParameters(
    program
      .command('import')
      .description(
        'import a JSONL file of {document, text, embedding, metadata} lines into a collection and its index',
      )
      .argument('<collection>', 'the collection (created when it does not exist)')
      .argument('<file>', 'the .jsonl file'),
  ).action(async (collection: string, file: string, opts: ParameterOptions, command: Command) => {
    await withEngine(command, async (engine) => {
      const job = await engine.call('vectors:import', {
        collection,
        file: path.resolve(file),
        ...parameters(opts),
      });
      const finished = await followJob(engine, job);
      const result = finished.result as ImportResult;
      print(
        command,
        result,
        () =>
          `Imported ${countOf(result.chunksAdded, 'chunk')} of ${formatCount(result.documentsAdded)} new ${nounFor(result.documentsAdded, 'document')} into ${result.collection}${result.createdCollection ? ' (new collection)' : ''}; its index holds ${result.indexCount} vectors.`,
      );
    });
  });

  const vectors = program
    .command('vectors')
    .description('collections, search, index health, compaction and SQLite upkeep');

  vectors
    .command('collections')
    .description('list the collections with their counts, index size and last health')
    .action(async (_opts, command: Command) => {
      await withEngine(command, async (engine) => {
        const { collections } = await engine.call('vectors:collections');
        print(command, collections, () =>
          collections.length === 0
            ? 'No collections yet.'
            : collections.map(formatCollection).join('\n'),
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
        let vector: unknown;
        if (opts.vector !== undefined) {
          const text = opts.vector.startsWith('@')
            ? fs.readFileSync(path.resolve(opts.vector.slice(1)), 'utf8')
            : opts.vector;
          try {
            vector = JSON.parse(text);
          } catch {
            throw new TendFailure('INVALID_INPUT', '--vector must be a JSON array of numbers.');
          }
        }
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
        const result = finished.result as {
          documentsDeleted: number;
          chunksDeleted: number;
          compactionReason: string | null;
        };
        print(
          command,
          result,
          () =>
            `Deleted ${countOf(result.documentsDeleted, 'document')}, ${countOf(result.chunksDeleted, 'chunk')}.${result.compactionReason ? ` A compaction will follow: ${result.compactionReason}.` : ''}`,
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
        const { collections } = finished.result as { collections: IndexHealth[] };
        // A compaction the check started finishes before the command returns.
        for (const health of collections) {
          if (health.compactionJobId) {
            await followJob(engine, engine.requireSession().jobs.get(health.compactionJobId));
          }
        }
        print(command, collections, () =>
          collections.length === 0
            ? 'No collections yet.'
            : collections.map(formatHealth).join('\n'),
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
        print(command, finished.result, () => {
          const record = finished.result as {
            vectorsAfter: number;
            bytesAfter: number;
            seconds: number;
          };
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
        print(command, finished.result, () => formatUpkeep(finished.result as UpkeepRun));
      });
    });
}
