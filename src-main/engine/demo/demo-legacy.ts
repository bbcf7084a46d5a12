import { nativePaths } from '../profiles/native/native-paths';
import { planChatSessions } from './demo-chat';
import type { DemoProfile } from './demo-profile';
import { paragraph, slugify, title, type DemoTopic } from './demo-text';
import { daysBefore } from './demo-time';
import { textFile, type PlannedFile } from './demo-files';
import type { SeededRandom } from './random';

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Plans the legacy `data/` folder of the old layout (seed 002): entities, their chat sessions
 * as JSON, and the uploads that were never migrated. Everything here is 14 to 19 months old.
 */
export function planLegacy(
  rng: SeededRandom,
  profile: DemoProfile,
  topics: ReadonlyArray<DemoTopic>,
  now: Date,
): PlannedFile[] {
  const files: PlannedFile[] = [];
  const base = nativePaths.legacyData;
  const lastWrite = daysBefore(now, 420);
  const entities: Array<{ id: string; name: string; topic: DemoTopic; created: Date }> = [];
  for (let i = 0; i < profile.legacyEntities; i++) {
    const r = rng.fork(`entity/${i}`);
    const topic = topics[i % topics.length] ?? r.pick(topics);
    const created = daysBefore(now, r.int(480, 570));
    entities.push({
      id: `ent_${r.hex(8)}`,
      name: `${topic.name} (${r.pick(['old', 'v1', 'pilot', 'archive'])})`,
      topic,
      created,
    });
  }

  const uploadCounts = new Map<string, number>();
  for (let i = 0; i < profile.legacyUploads; i++) {
    const r = rng.fork(`upload/${i}`);
    const entity = r.pick(entities);
    if (!entity) break;
    const docTitle = title(r, entity.topic);
    const paragraphs: string[] = [docTitle, ''];
    for (let p = r.int(1, 5); p > 0; p--)
      paragraphs.push(paragraph(r, entity.topic, r.int(3, 8)), '');
    const ext = r.pick(['txt', 'md']);
    const uploaded = daysBefore(now, r.int(425, 560));
    files.push(
      textFile(
        `${base}/uploads/${entity.id}/${slugify(docTitle, 40)}-${r.hex(4)}.${ext}`,
        paragraphs.join('\n'),
        uploaded,
      ),
    );
    uploadCounts.set(entity.id, (uploadCounts.get(entity.id) ?? 0) + 1);
  }

  files.push(
    textFile(
      `${base}/api_storage/entities.json`,
      json({
        version: 1,
        entities: entities.map((entity) => ({
          id: entity.id,
          name: entity.name,
          created_at: entity.created.toISOString(),
          document_count: uploadCounts.get(entity.id) ?? 0,
          index_path: `data/vector_indexes/${entity.id}`,
        })),
      }),
      lastWrite,
    ),
  );

  const sessions = planChatSessions(
    rng.fork('chats'),
    profile.legacyEntities * 3,
    topics,
    [],
    daysBefore(now, 425),
    120,
    'sess_',
  );
  files.push(
    textFile(
      `${base}/api_storage/chat_sessions.json`,
      json({
        version: 1,
        sessions: sessions.map((session, i) => ({
          session_id: session.id,
          entity_id: entities[i % entities.length]?.id ?? null,
          title: session.title,
          created_at: session.createdAt.toISOString(),
          messages: session.messages.map((message) => ({
            role: message.role,
            content: message.content,
            timestamp: message.createdAt.toISOString(),
          })),
        })),
      }),
      lastWrite,
    ),
  );
  return files;
}
