/**
 * Search: the nearest live chunks to a vector or to a stored chunk, from the index in memory,
 * or by exact search over the stored vectors while there is no usable index.
 */
import { TendFailure } from '../../../src-shared/errors';
import type { SearchHit, SearchResult } from '../../../src-shared/models/vectors';
import { chunkEmbedding, chunkPreviews, requireCollection, withStore } from './collection-store';
import { exactSearch, type Neighbour } from './exact-search';
import { embeddingValueProblem } from './import-lines';
import { readLiveVectors } from './live-vectors';
import type { VectorRoot } from './vector-root';

/** Extra neighbours asked of the index so that dropped stale labels still leave k answers. */
const STALE_SLACK = 10;

/** What to search for: a vector, or the vector of a stored chunk. */
export interface SearchRequest {
  collection: string;
  vector?: number[] | undefined;
  chunkId?: number | undefined;
  k: number;
  ef?: number | undefined;
}

/** Nearest live chunks to a vector or to a stored chunk. */
export async function searchCollection(
  root: VectorRoot,
  input: SearchRequest,
): Promise<SearchResult> {
  const started = performance.now();
  const { collection, query } = withStore(root.dbPath, (db) => {
    const found = requireCollection(db, input.collection);
    if (input.chunkId !== undefined) {
      return { collection: found, query: chunkEmbedding(db, found, input.chunkId) };
    }
    const vector = input.vector ?? [];
    if (vector.length !== found.dimension) {
      throw new TendFailure(
        'DIMENSION_MISMATCH',
        `The query has ${vector.length} values; the collection "${found.id}" has dimension ${found.dimension}.`,
      );
    }
    for (let at = 0; at < vector.length; at++) {
      const problem = embeddingValueProblem(vector[at]);
      if (problem) {
        throw new TendFailure(
          'INVALID_INPUT',
          `Value ${at} of the query vector ${problem}; only finite 32-bit numbers can be searched.`,
        );
      }
    }
    return { collection: found, query: Float32Array.from(vector) };
  });
  const ef = Math.max(input.ef ?? collection.efSearch, input.k);
  const loaded = await root.indexes.get(collection);
  let neighbours: Neighbour[];
  let source: SearchResult['source'];
  if (loaded) {
    const wanted = Math.min(input.k + STALE_SLACK, loaded.index.getCurrentCount());
    loaded.index.setEf(Math.max(ef, wanted));
    const found = wanted > 0 ? loaded.index.searchKnn(Array.from(query), wanted) : null;
    neighbours = (found?.neighbors ?? []).map((label, at) => ({
      label,
      distance: found!.distances[at]!,
    }));
    source = 'index';
  } else {
    // No usable index (it is being rebuilt): exact search over the stored vectors.
    const table = withStore(root.dbPath, (db) =>
      readLiveVectors(db, collection.id, collection.dimension, collection.space),
    );
    neighbours = exactSearch(table, query, input.k);
    source = 'exact';
  }
  const previews = withStore(root.dbPath, (db) =>
    chunkPreviews(
      db,
      collection.id,
      neighbours.map((n) => n.label),
    ),
  );
  const hits: SearchHit[] = [];
  for (const neighbour of neighbours) {
    // Labels without a live chunk (an index that lags the database) are left out.
    const preview = previews.get(neighbour.label);
    if (!preview || hits.length === input.k) continue;
    hits.push({
      ...preview,
      distance: neighbour.distance,
      score: collection.space === 'l2' ? -neighbour.distance : 1 - neighbour.distance,
    });
  }
  return {
    collection: collection.id,
    hits,
    source,
    ef,
    tookMs: Math.round((performance.now() - started) * 100) / 100,
    rebuildJobId: root.compactions.running(collection.id)?.id ?? null,
  };
}
