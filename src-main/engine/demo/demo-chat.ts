import type { DemoDocument } from './demo-documents';
import { capitalize, question, sentence, type DemoTopic } from './demo-text';
import { daysBefore } from './demo-time';
import type { SeededRandom } from './random';

/** Who wrote a chat message. */
export type DemoChatRole = 'user' | 'assistant' | 'system';

/** One message of a demo chat. */
export interface DemoChatMessage {
  readonly role: DemoChatRole;
  readonly content: string;
  readonly createdAt: Date;
}

/** One demo chat session with its messages, oldest first. */
export interface DemoChatSession {
  readonly id: string;
  /** The collection the chat searched, or null for a general chat. */
  readonly collectionId: string | null;
  readonly title: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly messages: ReadonlyArray<DemoChatMessage>;
}

/** At most `max` characters, cut between words. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > 0 ? cut.slice(0, space) : cut}…`;
}

function answer(rng: SeededRandom, topic: DemoTopic, source: DemoDocument | undefined): string {
  const sentences: string[] = [];
  for (let i = rng.int(2, 5); i > 0; i--) sentences.push(sentence(rng, topic));
  const text = sentences.join(' ');
  return source ? `${text}\n\nSource: "${source.title}" (${source.sourcePath})` : text;
}

/**
 * Chat sessions spread over `spanDays` before `now`: an optional system prompt, then user and
 * assistant turns alternating, the assistant citing a document of the collection.
 */
export function planChatSessions(
  rng: SeededRandom,
  count: number,
  topics: ReadonlyArray<DemoTopic>,
  documents: ReadonlyArray<DemoDocument>,
  now: Date,
  spanDays: number,
  idPrefix = 'chat_',
): DemoChatSession[] {
  const byCollection = new Map<string, DemoDocument[]>();
  for (const doc of documents) {
    const list = byCollection.get(doc.collectionId) ?? [];
    list.push(doc);
    byCollection.set(doc.collectionId, list);
  }
  const sessions: DemoChatSession[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng.fork(i);
    const topic = r.pick(topics);
    const scoped = r.chance(0.8);
    const sources = byCollection.get(topic.id) ?? [];
    const createdAt = new Date(
      Math.floor(daysBefore(now, spanDays * r.next() + 0.05).getTime() / 1000) * 1000,
    );
    let t = createdAt.getTime();
    const messages: DemoChatMessage[] = [];
    if (r.chance(0.25)) {
      messages.push({
        role: 'system',
        content: `You are the internal assistant. Answer from the ${topic.name} collection and cite your sources.`,
        createdAt: new Date(t),
      });
    }
    const turns = r.int(1, 10);
    let firstQuestion = '';
    for (let turn = 0; turn < turns; turn++) {
      t += r.int(5, 600) * 1000;
      const asked = question(r, topic);
      if (turn === 0) firstQuestion = asked;
      messages.push({ role: 'user', content: asked, createdAt: new Date(t) });
      t += r.int(2, 40) * 1000;
      const source = sources.length > 0 && r.chance(0.7) ? r.pick(sources) : undefined;
      messages.push({
        role: 'assistant',
        content: answer(r, topic, source),
        createdAt: new Date(t),
      });
    }
    const last = messages.at(-1)?.createdAt ?? createdAt;
    sessions.push({
      id: `${idPrefix}${r.hex(16)}`,
      collectionId: scoped ? topic.id : null,
      title: shorten(capitalize(firstQuestion.replace(/[?.]$/, '')), 60),
      createdAt,
      updatedAt: last.getTime() > now.getTime() ? now : last,
      messages: messages.map((message) =>
        message.createdAt.getTime() > now.getTime() ? { ...message, createdAt: now } : message,
      ),
    });
  }
  return sessions.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  );
}
