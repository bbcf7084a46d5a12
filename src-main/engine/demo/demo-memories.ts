import { FIRST_NAMES, personName, type DemoTopic } from './demo-text';
import { daysBefore } from './demo-time';
import type { SeededRandom } from './random';

/** One long-term memory the assistant keeps about its user. */
export interface DemoMemory {
  readonly id: string;
  readonly kind: 'preference' | 'fact' | 'instruction' | 'profile';
  readonly content: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

const styles = [
  'concise',
  'step-by-step',
  'bullet-point',
  'detailed',
  'code-first',
  'source-cited',
];
const zones = [
  'Europe/Berlin',
  'America/New_York',
  'Asia/Tokyo',
  'Europe/London',
  'America/Sao_Paulo',
];

/** Memories spread over `spanDays`; some were edited after they were created. */
export function planMemories(
  rng: SeededRandom,
  count: number,
  topics: ReadonlyArray<DemoTopic>,
  now: Date,
  spanDays: number,
): DemoMemory[] {
  const memories: DemoMemory[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng.fork(i);
    const topic = r.pick(topics);
    const kind = r.weighted<DemoMemory['kind']>([
      ['preference', 3],
      ['fact', 4],
      ['instruction', 2],
      ['profile', 1],
    ]);
    const noun = r.pick(topic.nouns);
    let content: string;
    switch (kind) {
      case 'preference':
        content = `Prefers ${r.pick(styles)} answers when asking about the ${noun}.`;
        break;
      case 'fact':
        content = `${personName(r)} owns the ${noun} for the ${topic.name.toLowerCase()} team.`;
        break;
      case 'instruction':
        content = `Always mention the ${r.pick(topic.nouns)} policy when ${r.pick(FIRST_NAMES)} asks about the ${noun}.`;
        break;
      default:
        content = `Works on ${topic.name.toLowerCase()}; time zone ${r.pick(zones)}.`;
    }
    const createdAt = new Date(
      Math.floor(daysBefore(now, spanDays * r.next() + 0.1).getTime() / 1000) * 1000,
    );
    const edited = r.chance(0.3);
    const updatedAt = edited
      ? new Date(
          createdAt.getTime() +
            Math.floor((r.next() * (now.getTime() - createdAt.getTime())) / 1000) * 1000,
        )
      : createdAt;
    memories.push({ id: `mem_${r.hex(16)}`, kind, content, createdAt, updatedAt });
  }
  return memories.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  );
}
