import { nativePaths } from '../profiles/native/native-paths';
import type { DemoTopic } from './demo-text';
import { daysBefore } from './demo-time';
import { textFile, type PlannedFile } from './demo-files';
import type { SeededRandom } from './random';

/** Plans config/: the assistant's settings.yaml (seed 000) and a local override profile. */
export function planConfig(
  rng: SeededRandom,
  topics: ReadonlyArray<DemoTopic>,
  now: Date,
): PlannedFile[] {
  const edited = daysBefore(now, rng.int(5, 40));
  const settings = [
    '# Internal assistant settings. Profiles (settings-<name>.yaml) override these values.',
    'server:',
    '  env_name: ${APP_ENV:local}',
    '  port: ${PORT:8001}',
    '  cors:',
    '    enabled: false',
    '',
    'data:',
    '  local_data_folder: local_data/internal_assistant',
    '  cache_dir: local_data/cache',
    '  models_dir: local_data/models',
    '  logs_dir: local_data/logs',
    '  vector_store_dir: local_data/internal_assistant/vector_store',
    '',
    'llm:',
    '  mode: llamacpp',
    '  max_new_tokens: 512',
    '  context_window: 3900',
    '  temperature: 0.1',
    '',
    'embedding:',
    '  mode: huggingface',
    '  model: all-MiniLM-L6-v2',
    '  dimension: 384',
    '  ingest_mode: batch',
    '  count_workers: 2',
    '',
    'rag:',
    '  similarity_top_k: 5',
    '  chunk_size: 600',
    '  chunk_overlap: 40',
    '  collections:',
    ...topics.map((topic) => `    - id: ${topic.id}\n      name: "${topic.name}"`),
    '',
    'vectorstore:',
    '  database: hnswlib',
    '  space: cosine',
    '  m: 16',
    '  ef_construction: 100',
    '  ef_search: 50',
    '',
    'maintenance:',
    '  log_retention_days: 30',
    '  cache_cleanup_interval: 24h',
    '  backup_frequency: daily',
    '',
  ].join('\n');
  const local = [
    '# Local overrides for this machine.',
    'server:',
    '  port: 8002',
    'llm:',
    `  temperature: ${rng.pick(['0.2', '0.3', '0.05'])}`,
    'ui:',
    '  default_mode: "Search files"',
    '',
  ].join('\n');
  return [
    textFile(`${nativePaths.config}/settings.yaml`, settings, edited),
    textFile(`${nativePaths.config}/settings-local.yaml`, local, daysBefore(edited, -1)),
  ];
}
