/**
 * A demo folder of the memory system (seed 001): memory files, a Chroma store of their
 * embeddings, search indexes, logs inside and beside `data/`, and three of the system's own
 * nightly backups, made as `manage-data.sh backup` makes them (all data but the logs).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import writeFileAtomic from 'write-file-atomic';
import { DEMO_TOPICS, sentence } from '../../demo/demo-text';
import { DEFAULT_DEMO_NOW, daysBefore } from '../../demo/demo-time';
import { SeededRandom } from '../../demo/random';
import { writeChromaDemo } from '../../stores/chroma/chroma-demo';
import { demoMemories } from '../../stores/json-store/json-demo';
import { listFiles } from '../../stores/list-files';
import type { ProfileDemo } from '../profile';
import { memorySystemPaths } from './memory-system-paths';

const MEMORIES = { small: 40, medium: 400, large: 4000 } as const;
const RECORDS = { small: 30, medium: 200, large: 1000 } as const;
/** The nightly backups the demo leaves, one a day (the system keeps 7). */
const OWN_BACKUPS = 3;

function stamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}_${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** Writes the demo into `root` (empty but for Tend's own folder). */
export const memorySystemDemo: ProfileDemo = {
  async write({ root, size, seed, signal, onProgress }) {
    const key = `memory-system/${seed}`;
    const rng = new SeededRandom(key);
    const at = (relative: string) => path.join(root, ...relative.split('/'));
    const memories = demoMemories(key, MEMORIES[size]);
    await fs.mkdir(at(memorySystemPaths.memories), { recursive: true });
    for (const [index, memory] of memories.entries()) {
      signal.throwIfAborted();
      await writeFileAtomic(
        path.join(at(memorySystemPaths.memories), `${memory.id}.json`),
        `${JSON.stringify(memory, null, 2)}\n`,
      );
      if (index % 50 === 0) onProgress({ filesDone: index, filesTotal: memories.length });
    }
    await writeChromaDemo(at(memorySystemPaths.embeddings), {
      seed: key,
      collections: 2,
      records: RECORDS[size],
    });

    const byTag: Record<string, string[]> = {};
    for (const memory of memories) {
      for (const tag of memory.tags) (byTag[tag] ??= []).push(memory.id);
    }
    const recent = [...memories]
      .sort((a, b) => (a.created_at < b.created_at ? 1 : -1))
      .slice(0, 20)
      .map((memory) => memory.id);
    await fs.mkdir(at(memorySystemPaths.indexes), { recursive: true });
    await fs.writeFile(
      path.join(at(memorySystemPaths.indexes), 'tags.json'),
      JSON.stringify(byTag),
    );
    await fs.writeFile(
      path.join(at(memorySystemPaths.indexes), 'recent.json'),
      JSON.stringify(recent),
    );

    const lines: string[] = [];
    for (let day = 10; day > 0; day--) {
      const when = daysBefore(DEFAULT_DEMO_NOW, day).toISOString();
      lines.push(`${when} INFO memory: stored ${rng.int(1, 9)} memories`);
      lines.push(`${when} INFO memory: ${sentence(rng, rng.pick(DEMO_TOPICS))}`);
    }
    for (const [folder, name] of [
      [memorySystemPaths.logs, 'memory.log'],
      [memorySystemPaths.hostLogs, 'server.log'],
    ] as const) {
      await fs.mkdir(at(folder), { recursive: true });
      await fs.writeFile(path.join(at(folder), name), `${lines.join('\n')}\n`);
    }

    // "Creates compressed backup of all data … Excludes temporary files and logs".
    const backedUp = (
      await Promise.all(
        [memorySystemPaths.memories, memorySystemPaths.embeddings, memorySystemPaths.indexes].map(
          async (folder) => (await listFiles(at(folder), folder)).map((file) => file.path),
        ),
      )
    ).flat();
    await fs.mkdir(at(memorySystemPaths.backups), { recursive: true });
    for (let day = OWN_BACKUPS; day > 0; day--) {
      const taken = new Date(daysBefore(DEFAULT_DEMO_NOW, day).getTime() + 2 * 3_600_000);
      await tar.create(
        {
          gzip: true,
          cwd: root,
          portable: true,
          mtime: taken,
          file: path.join(at(memorySystemPaths.backups), `memory_backup_${stamp(taken)}.tar.gz`),
        },
        backedUp,
      );
    }

    const files = (await listFiles(root)).filter((file) => !file.path.startsWith('.tend/'));
    return {
      root,
      files: files.length,
      bytes: files.reduce((sum, file) => sum + file.bytes, 0),
      memories: memories.length,
    };
  },
};
