import { describe, expect, it } from 'vitest';
import { chunkText } from '../../../../src-main/engine/demo/demo-documents';
import {
  documentEmbeddings,
  topicCentroid,
} from '../../../../src-main/engine/demo/demo-embeddings';
import { fillLines } from '../../../../src-main/engine/demo/demo-files';
import {
  dailyInteractionCounts,
  generateInteractions,
  interactionDays,
} from '../../../../src-main/engine/demo/demo-interactions';
import {
  DEMO_TOPICS,
  paragraph,
  slugify,
  thirdPerson,
} from '../../../../src-main/engine/demo/demo-text';
import { createByteStream, SeededRandom } from '../../../../src-main/engine/demo/random';

const NOW = new Date('2026-11-01T00:00:00.000Z');
const topic = DEMO_TOPICS[0] ?? (undefined as never);

describe('SeededRandom', () => {
  it('repeats a named stream and forks independently of earlier draws', () => {
    const draw = (rng: SeededRandom) => Array.from({ length: 5 }, () => rng.uint32());
    expect(draw(new SeededRandom('a'))).toEqual(draw(new SeededRandom('a')));
    expect(draw(new SeededRandom('a'))).not.toEqual(draw(new SeededRandom('b')));
    const used = new SeededRandom('a');
    draw(used);
    expect(draw(used.fork('x'))).toEqual(draw(new SeededRandom('a').fork('x')));
  });

  it('keeps values in range and picks by weight', () => {
    const rng = new SeededRandom('range');
    const counts = { a: 0, b: 0 };
    let low = Infinity;
    let high = -Infinity;
    let unit = true;
    for (let i = 0; i < 10_000; i++) {
      const n = rng.int(3, 7);
      low = Math.min(low, n);
      high = Math.max(high, n);
      const x = rng.next();
      unit &&= x >= 0 && x < 1;
      counts[
        rng.weighted([
          ['a', 9],
          ['b', 1],
        ] as const)
      ]++;
    }
    expect([low, high, unit]).toEqual([3, 7, true]);
    expect(counts.a / counts.b).toBeGreaterThan(6);
    expect(rng.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(rng.hex(21)).toMatch(/^[0-9a-f]{21}$/);
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('streams the same incompressible bytes however they are split', () => {
    const whole = createByteStream('weights')(10_000);
    const split = createByteStream('weights');
    expect(Buffer.concat([split(3), split(4_997), split(5_000)])).toEqual(whole);
    expect(createByteStream('other')(10_000)).not.toEqual(whole);
  });
});

describe('demo text', () => {
  it.each([
    ['deploy', 'deploys'],
    ['roll back', 'rolls back'],
    ['patch', 'patches'],
    ['classify', 'classifies'],
    ['go', 'goes'],
    ['say', 'says'],
  ])('thirdPerson(%s) is %s', (verb, expected) => {
    expect(thirdPerson(verb)).toBe(expected);
  });

  it.each([
    ['Runbook: how to Deploy a canary!', 'runbook-how-to-deploy-a-canary'],
    ['  --Q3 revenue--  ', 'q3-revenue'],
  ])('slugify(%j) is %s', (text, expected) => {
    expect(slugify(text)).toBe(expected);
  });

  it('cuts chunks of about 300-800 characters at sentence ends, losing nothing', () => {
    const rng = new SeededRandom('chunks');
    const text = Array.from({ length: 12 }, () => paragraph(rng, topic, 6)).join('\n');
    const chunks = chunkText(text, rng.fork('cut'));
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThanOrEqual(300);
      expect(chunk.length).toBeLessThanOrEqual(800);
      expect(chunk).toMatch(/[.!?:]$/);
    }
    const words = (value: string) => value.split(/\s+/).filter(Boolean);
    expect(words(chunks.join(' '))).toEqual(words(text));
  });

  it('writes exactly the asked number of bytes, ending in a newline', () => {
    let n = 0;
    for (const size of [1, 17, 1000]) {
      const out = fillLines(size, () => `line ${n++}`);
      expect(out.byteLength).toBe(size);
      expect(out.at(-1)).toBe(0x0a);
    }
  });
});

describe('demo embeddings', () => {
  it('gives unit vectors clustered by document, then by topic', () => {
    const rng = new SeededRandom('vectors');
    const a = topicCentroid(rng.fork('a'));
    const b = topicCentroid(rng.fork('b'));
    const doc1 = documentEmbeddings(rng.fork('d1'), a, 3);
    const doc2 = documentEmbeddings(rng.fork('d2'), a, 3);
    const doc3 = documentEmbeddings(rng.fork('d3'), b, 3);
    const dot = (x: Float32Array | undefined, y: Float32Array | undefined) =>
      (x ?? new Float32Array()).reduce((sum, value, i) => sum + value * (y?.[i] ?? 0), 0);
    for (const v of [...doc1, ...doc3]) expect(dot(v, v)).toBeCloseTo(1, 5);
    const sameDocument = dot(doc1[0], doc1[1]);
    const sameTopic = dot(doc1[0], doc2[0]);
    const otherTopic = dot(doc1[0], doc3[0]);
    expect(sameDocument).toBeGreaterThan(sameTopic);
    expect(sameTopic).toBeGreaterThan(otherTopic + 0.2);
  });
});

describe('demo interactions', () => {
  it('spreads an exact total over 18 months with quiet weekends', () => {
    const days = interactionDays(NOW);
    expect(days).toBeGreaterThanOrEqual(540);
    expect(days).toBeLessThanOrEqual(560);
    const counts = dailyInteractionCounts(new SeededRandom('volume'), 50_000, days, NOW);
    expect(counts.length).toBe(days);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(50_000);
    const byWeekday = Array.from({ length: 7 }, () => 0);
    counts.forEach((count, d) => {
      const day = new Date(NOW.getTime() - (days - d) * 86_400_000).getUTCDay();
      byWeekday[day] = (byWeekday[day] ?? 0) + count;
    });
    expect((byWeekday[0] ?? 0) * 2).toBeLessThan(byWeekday[3] ?? 0);
    // Volume grows: the last quarter is busier than the first.
    const quarter = Math.floor(days / 4);
    const sum = (part: number[]) => part.reduce((a, b) => a + b, 0);
    expect(sum(counts.slice(-quarter))).toBeGreaterThan(sum(counts.slice(0, quarter)));
  });

  it('yields rows oldest first, all before now, with valid fields', () => {
    const rows = [...generateInteractions(new SeededRandom('rows'), 3_000, DEMO_TOPICS, NOW)];
    expect(rows.length).toBe(3_000);
    const problems: string[] = [];
    rows.forEach((row, i) => {
      if (i > 0 && row.timestamp < (rows[i - 1]?.timestamp ?? ''))
        problems.push(`${i}: out of order`);
      if (row.timestamp >= NOW.toISOString()) problems.push(`${i}: after now`);
      if (row.createdAt < row.timestamp) problems.push(`${i}: created before asked`);
      if (row.success !== 0 && row.success !== 1) problems.push(`${i}: success ${row.success}`);
      if (row.userRating !== null && (row.userRating < 1 || row.userRating > 5))
        problems.push(`${i}: rating`);
      if (!(row.responseTimeMs > 0)) problems.push(`${i}: response time`);
    });
    expect(problems).toEqual([]);
  });
});
