/**
 * A fingerprint of a document's chunks, the same whether read from an import file or from
 * assistant.db, so an import can tell a document it already holds from one that changed.
 */
import { createHash, type Hash } from 'node:crypto';

/** Builds the fingerprint of one document, chunk by chunk, in order. */
export class DocumentDigest {
  private readonly hash: Hash = createHash('sha256');
  private count = 0;

  /** Adds the next chunk: its text and its embedding as stored (float32, little-endian). */
  add(text: string, embedding: Uint8Array): void {
    const bytes = Buffer.from(text, 'utf8');
    // Lengths first, so no two different chunk lists give the same stream of bytes.
    const lengths = Buffer.alloc(8);
    lengths.writeUInt32LE(bytes.length, 0);
    lengths.writeUInt32LE(embedding.byteLength, 4);
    this.hash.update(lengths).update(bytes).update(embedding);
    this.count++;
  }

  /** How many chunks were added. */
  get chunks(): number {
    return this.count;
  }

  /** The fingerprint (the digest cannot be added to after this). */
  digest(): string {
    return `${this.count}:${this.hash.digest('hex')}`;
  }
}
