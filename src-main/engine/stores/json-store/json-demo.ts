/**
 * Demo JSON stores: seed 002's entities and chat sessions, seed 001's memory files. The same seed
 * writes the same bytes; files are written the way their apps write them (temp file, rename).
 */
import fs from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { capitalize, DEMO_TOPICS, question, sentence, slugify, title } from '../../demo/demo-text';
import { DEFAULT_DEMO_NOW, daysBefore } from '../../demo/demo-time';
import { SeededRandom } from '../../demo/random';
import type { ChatSessionRecord, EntityRecord, MemoryRecord } from './seed-shapes';

/** Which app's JSON store a demo writes. */
export type JsonStoreDemoVariant = 'entity-rag' | 'memory-system';

const iso = (date: Date) => date.toISOString();

/** Demo entities of seed 002, each with its documents (the uploads a profile demo writes). */
export function demoEntities(seed: string, count = 3): EntityRecord[] {
  const rng = new SeededRandom(`json-store/entities/${seed}`);
  const entities: EntityRecord[] = [];
  for (let i = 0; i < count; i++) {
    const topic = DEMO_TOPICS[i % DEMO_TOPICS.length]!;
    const id = `company_${100 + i * 111 + rng.int(0, 99)}`;
    const documents = [];
    for (let d = rng.int(2, 4); d > 0; d--) {
      const filename = `${slugify(title(rng, topic), 40)}.${rng.pick(['pdf', 'txt', 'md'])}`;
      documents.push({
        doc_id: `doc_${rng.hex(6)}`,
        filename,
        file_path: `data/uploads/${id}/${filename}`,
      });
    }
    entities.push({
      entity_id: id,
      entity_name: `${capitalize(rng.pick(topic.nouns))} ${rng.pick(['Corp', 'Ltd', 'Group', 'Labs'])}`,
      description: sentence(rng, topic),
      metadata: { industry: topic.name, tier: rng.pick(['gold', 'silver', 'bronze']) },
      documents,
      created_at: iso(daysBefore(DEFAULT_DEMO_NOW, rng.int(30, 300))),
    });
  }
  return entities;
}

/** Demo chat sessions of seed 002 over the given entities. */
export function demoChatSessions(
  seed: string,
  entities: ReadonlyArray<EntityRecord>,
): ChatSessionRecord[] {
  const rng = new SeededRandom(`json-store/sessions/${seed}`);
  const sessions: ChatSessionRecord[] = [];
  entities.forEach((entity, index) => {
    const topic = DEMO_TOPICS[index % DEMO_TOPICS.length]!;
    for (let s = rng.int(1, 3); s > 0; s--) {
      const started = daysBefore(DEFAULT_DEMO_NOW, rng.int(1, 25));
      const messages = [];
      let at = started.getTime();
      for (let turn = rng.int(1, 4); turn > 0; turn--) {
        messages.push({
          role: 'user' as const,
          content: question(rng, topic),
          timestamp: iso(new Date(at)),
        });
        at += rng.int(5, 60) * 1000;
        messages.push({
          role: 'assistant' as const,
          content: `${sentence(rng, topic)} ${sentence(rng, topic)}`,
          timestamp: iso(new Date(at)),
        });
        at += rng.int(60, 900) * 1000;
      }
      sessions.push({
        session_id: `session_${rng.hex(6)}`,
        entity_id: entity.entity_id,
        session_name: capitalize(rng.pick(topic.nouns)),
        metadata: { model: 'llama3.1:8b' },
        messages,
        created_at: iso(started),
        last_activity: messages.at(-1)?.timestamp ?? iso(started),
      });
    }
  });
  return sessions;
}

/** Demo memories of seed 001. */
export function demoMemories(seed: string, count = 12): MemoryRecord[] {
  const rng = new SeededRandom(`json-store/memories/${seed}`);
  const memories: MemoryRecord[] = [];
  for (let i = 0; i < count; i++) {
    const topic = rng.pick(DEMO_TOPICS);
    memories.push({
      id: `mem_${rng.hex(12)}`,
      content: `${sentence(rng, topic)} ${sentence(rng, topic)}`,
      tags: [topic.id, rng.pick(topic.nouns)],
      importance: Math.round(rng.float(0.1, 1) * 100) / 100,
      created_at: iso(daysBefore(DEFAULT_DEMO_NOW, rng.int(0, 200))),
      metadata: { source: rng.pick(['chat', 'note', 'import']) },
    });
  }
  return memories;
}

function keyedBy<T>(records: ReadonlyArray<T>, key: (record: T) => string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const record of records) out[key(record)] = record;
  return out;
}

function writeJson(file: string, value: unknown): void {
  writeFileAtomic.sync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Writes a demo JSON store into `dir`. */
export function writeJsonStoreDemo(dir: string, variant: JsonStoreDemoVariant, seed: string): void {
  fs.mkdirSync(dir, { recursive: true });
  if (variant === 'entity-rag') {
    const entities = demoEntities(seed);
    writeJson(
      path.join(dir, 'entities.json'),
      keyedBy(entities, (e) => e.entity_id),
    );
    writeJson(
      path.join(dir, 'chat_sessions.json'),
      keyedBy(demoChatSessions(seed, entities), (s) => s.session_id),
    );
    return;
  }
  for (const memory of demoMemories(seed)) writeJson(path.join(dir, `${memory.id}.json`), memory);
}
