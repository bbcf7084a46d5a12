import crypto from 'node:crypto';
import { nativePaths } from '../profiles/native/native-paths';
import type { DemoProfile } from './demo-profile';
import { paragraph, personName, sentence, slugify, title, type DemoTopic } from './demo-text';
import { DAY_MS, daysBefore, isoDay } from './demo-time';
import type { PlannedFile } from './demo-files';
import type { SeededRandom } from './random';

/** The format an uploaded original was in. */
export type DemoDocumentFormat = 'md' | 'txt' | 'pdf';

/** One uploaded document: its original file, its rows, and its chunks. */
export interface DemoDocument {
  readonly id: string;
  readonly collectionId: string;
  readonly title: string;
  /** Relative to documents/<collection>/. */
  readonly sourcePath: string;
  readonly format: DemoDocumentFormat;
  readonly mime: string;
  readonly content: Buffer;
  readonly sha256: string;
  readonly createdAt: Date;
  /** Soft-deleted documents keep their rows but their original is gone. */
  readonly deletedAt: Date | null;
  readonly chunks: ReadonlyArray<string>;
}

const mimeOf: Record<DemoDocumentFormat, string> = {
  md: 'text/markdown',
  txt: 'text/plain',
  pdf: 'application/pdf',
};

// Larger collections first: real stores are rarely balanced.
const collectionWeights = [1.6, 1.25, 1, 0.8, 0.7, 0.6];

/** Average chunk length the body sizes aim at. */
const AVERAGE_CHUNK_CHARS = 550;

interface Block {
  readonly kind: 'heading' | 'paragraph' | 'bullets';
  readonly lines: ReadonlyArray<string>;
}

/** Writes the blocks of a body until it holds about `targetChars` characters. */
function bodyBlocks(rng: SeededRandom, topic: DemoTopic, targetChars: number): Block[] {
  const blocks: Block[] = [];
  const sections = rng.shuffle([...topic.sections]);
  let chars = 0;
  let section = 0;
  while (chars < targetChars) {
    if (section === 0 || rng.chance(0.3)) {
      const heading = sections[section % sections.length] ?? 'Notes';
      blocks.push({ kind: 'heading', lines: [heading] });
      section++;
    }
    if (rng.chance(0.2)) {
      const items: string[] = [];
      for (let i = rng.int(3, 6); i > 0; i--) items.push(sentence(rng, topic));
      blocks.push({ kind: 'bullets', lines: items });
      chars += items.reduce((sum, item) => sum + item.length + 1, 0);
    } else {
      const text = paragraph(rng, topic, rng.int(3, 7));
      blocks.push({ kind: 'paragraph', lines: [text] });
      chars += text.length + 1;
    }
  }
  return blocks;
}

/** The text a pipeline would extract from the original: what chunks are cut from. */
function plainText(docTitle: string, blocks: ReadonlyArray<Block>): string {
  const parts = [`${docTitle}.`];
  for (const block of blocks) {
    if (block.kind === 'heading') parts.push(`${block.lines[0] ?? ''}:`);
    else parts.push(block.lines.join(' '));
  }
  return parts.join('\n');
}

function renderMarkdown(
  docTitle: string,
  owner: string,
  updated: Date,
  blocks: ReadonlyArray<Block>,
): string {
  const out = [`# ${docTitle}`, '', `*Owner: ${owner} · Last updated: ${isoDay(updated)}*`, ''];
  for (const block of blocks) {
    if (block.kind === 'heading') out.push(`## ${block.lines[0] ?? ''}`, '');
    else if (block.kind === 'bullets') out.push(...block.lines.map((line) => `- ${line}`), '');
    else out.push(block.lines.join(' '), '');
  }
  return out.join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line.length > 0 ? `${line} ${word}` : word;
    }
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

function renderText(docTitle: string, blocks: ReadonlyArray<Block>): string {
  const out = [docTitle.toUpperCase(), '='.repeat(Math.min(docTitle.length, 78)), ''];
  for (const block of blocks) {
    if (block.kind === 'heading')
      out.push(block.lines[0] ?? '', '-'.repeat((block.lines[0] ?? '').length), '');
    else if (block.kind === 'bullets')
      out.push(...block.lines.flatMap((line) => wrap(`* ${line}`, 78)), '');
    else out.push(...wrap(block.lines.join(' '), 78), '');
  }
  return out.join('\n');
}

/**
 * A small but well-formed PDF 1.4 whose single content stream shows the text.
 *
 * Enough for a file-type sniffer, a viewer and a text extractor; offsets in the xref table
 * are real, so tools that check them are satisfied.
 */
function renderPdf(docTitle: string, text: string): Buffer {
  const escape = (line: string) => line.replace(/[\\()]/g, (c) => `\\${c}`);
  const lines = [docTitle, '', ...text.split('\n').flatMap((line) => wrap(line, 90))];
  const stream = [
    'BT',
    '/F1 10 Tf',
    '12 TL',
    '56 780 Td',
    ...lines.map((line) => `(${escape(line)}) '`),
    'ET',
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Title (${escape(docTitle)}) /Producer (Tend demo) >>`,
  ];
  // The binary comment on line two tells transfer tools this is not a text file.
  let body = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xrefAt = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${objects.length} 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/**
 * Cuts text into chunks of about 300-800 characters at sentence boundaries, the way a RAG
 * ingester does. A very short tail joins the chunk before it.
 */
export function chunkText(text: string, rng: SeededRandom, min = 300, max = 800): string[] {
  const pieces = text
    .split(/(?<=[.!?:])\s+|\n+/)
    .map((piece) => piece.trim())
    .filter((piece) => piece.length > 0);
  const chunks: string[] = [];
  const nextTarget = () => rng.int(min + 100, max - 100);
  let target = nextTarget();
  let current = '';
  for (const piece of pieces) {
    if (current.length > 0 && current.length + 1 + piece.length > max) {
      chunks.push(current);
      current = '';
      target = nextTarget();
    }
    current = current.length > 0 ? `${current} ${piece}` : piece;
    if (current.length >= target) {
      chunks.push(current);
      current = '';
      target = nextTarget();
    }
  }
  if (current.length > 0) {
    const last = chunks.length - 1;
    if (current.length < min / 2 && last >= 0) chunks[last] = `${chunks[last] ?? ''} ${current}`;
    else chunks.push(current);
  }
  return chunks;
}

/** The topics of a profile's collections. */
export function demoTopics(
  profile: DemoProfile,
  topics: ReadonlyArray<DemoTopic>,
): ReadonlyArray<DemoTopic> {
  return topics.slice(0, Math.min(profile.collections, topics.length));
}

/**
 * Plans every uploaded document with its chunks, oldest first.
 *
 * Dates spread over the last 18 months with more recent uploads, like a store that is in use.
 */
export function planDocuments(
  rng: SeededRandom,
  profile: DemoProfile,
  topics: ReadonlyArray<DemoTopic>,
  now: Date,
): DemoDocument[] {
  const weights = topics.map((topic, i) => [topic, collectionWeights[i] ?? 0.5] as const);
  const sigma = 0.6;
  // Mean of a log-normal is median * e^(σ²/2): aim the mean at the profile's figure.
  const medianChunks = profile.chunksPerDocument / Math.exp((sigma * sigma) / 2);
  const documents: DemoDocument[] = [];
  for (let i = 0; i < profile.documents; i++) {
    const docRng = rng.fork(i);
    const topic = docRng.weighted(weights);
    const id = `doc_${docRng.hex(16)}`;
    const docTitle = title(docRng, topic);
    // Square of a uniform: more documents are recent than old.
    const age = 540 * (1 - Math.sqrt(docRng.next()));
    const createdAt = new Date(Math.floor(daysBefore(now, age + 0.01).getTime() / 1000) * 1000);
    const targetChunks = Math.max(1, Math.round(docRng.logNormal(medianChunks, sigma)));
    const blocks = bodyBlocks(docRng, topic, targetChunks * AVERAGE_CHUNK_CHARS);
    const text = plainText(docTitle, blocks);
    const format = docRng.weighted<DemoDocumentFormat>([
      ['md', 0.5],
      ['txt', 0.3],
      ['pdf', 0.2],
    ]);
    const content =
      format === 'md'
        ? Buffer.from(renderMarkdown(docTitle, personName(docRng), createdAt, blocks), 'utf8')
        : format === 'txt'
          ? Buffer.from(renderText(docTitle, blocks), 'utf8')
          : renderPdf(docTitle, text);
    const deleted = docRng.chance(profile.deletedDocumentShare);
    const deletedAt = deleted
      ? new Date(Math.min(now.getTime() - 60_000, createdAt.getTime() + docRng.int(1, 60) * DAY_MS))
      : null;
    documents.push({
      id,
      collectionId: topic.id,
      title: docTitle,
      sourcePath: `${slugify(docTitle, 48)}-${id.slice(4, 10)}.${format}`,
      format,
      mime: mimeOf[format],
      content,
      sha256: crypto.createHash('sha256').update(content).digest('hex'),
      createdAt,
      deletedAt,
      chunks: chunkText(text, docRng.fork('chunks')),
    });
  }
  return documents.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id),
  );
}

/** The original files of the documents that are not deleted. */
export function documentFiles(documents: ReadonlyArray<DemoDocument>): PlannedFile[] {
  return documents
    .filter((doc) => doc.deletedAt === null)
    .map((doc) => ({
      path: `${nativePaths.documents}/${doc.collectionId}/${doc.sourcePath}`,
      bytes: doc.content.byteLength,
      mtime: doc.createdAt,
      content: { kind: 'bytes', data: doc.content },
    }));
}
