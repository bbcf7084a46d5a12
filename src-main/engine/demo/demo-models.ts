import crypto from 'node:crypto';
import { nativePaths } from '../profiles/native/native-paths';
import type { DemoProfile } from './demo-profile';
import { DEMO_TOPICS } from './demo-text';
import { daysBefore } from './demo-time';
import { textFile, type PlannedFile } from './demo-files';
import type { SeededRandom } from './random';

type Dtype = 'F32' | 'BF16' | 'U8';

interface TensorSpec {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: ReadonlyArray<number>;
}

const dtypeBytes: Record<Dtype, number> = { F32: 4, BF16: 2, U8: 1 };

function tensorBytes(spec: TensorSpec): number {
  return spec.shape.reduce((product, n) => product * n, dtypeBytes[spec.dtype]);
}

/** The tensors of a BERT encoder (embedding models), layer after layer. */
function* bertTensors(hidden: number, vocab: number, prefix: string): Generator<TensorSpec> {
  const t = (name: string, ...shape: number[]): TensorSpec => ({
    name: `${prefix}${name}`,
    dtype: 'F32',
    shape,
  });
  yield t('embeddings.word_embeddings.weight', vocab, hidden);
  yield t('embeddings.position_embeddings.weight', 512, hidden);
  yield t('embeddings.token_type_embeddings.weight', 2, hidden);
  yield t('embeddings.LayerNorm.weight', hidden);
  yield t('embeddings.LayerNorm.bias', hidden);
  for (let layer = 0; layer < 24; layer++) {
    const l = `encoder.layer.${layer}.`;
    for (const part of ['query', 'key', 'value']) {
      yield t(`${l}attention.self.${part}.weight`, hidden, hidden);
      yield t(`${l}attention.self.${part}.bias`, hidden);
    }
    yield t(`${l}attention.output.dense.weight`, hidden, hidden);
    yield t(`${l}attention.output.dense.bias`, hidden);
    yield t(`${l}intermediate.dense.weight`, hidden * 4, hidden);
    yield t(`${l}intermediate.dense.bias`, hidden * 4);
    yield t(`${l}output.dense.weight`, hidden, hidden * 4);
    yield t(`${l}output.dense.bias`, hidden);
    yield t(`${l}output.LayerNorm.weight`, hidden);
    yield t(`${l}output.LayerNorm.bias`, hidden);
  }
}

/** The tensors of a decoder-only chat model (Qwen/Llama naming), layer after layer. */
function* decoderTensors(hidden: number, vocab: number): Generator<TensorSpec> {
  const t = (name: string, ...shape: number[]): TensorSpec => ({ name, dtype: 'BF16', shape });
  yield t('model.embed_tokens.weight', vocab, hidden);
  for (let layer = 0; layer < 64; layer++) {
    const l = `model.layers.${layer}.`;
    for (const part of ['q_proj', 'k_proj', 'v_proj', 'o_proj'])
      yield t(`${l}self_attn.${part}.weight`, hidden, hidden);
    yield t(`${l}mlp.gate_proj.weight`, hidden * 5, hidden);
    yield t(`${l}mlp.up_proj.weight`, hidden * 5, hidden);
    yield t(`${l}mlp.down_proj.weight`, hidden, hidden * 5);
    yield t(`${l}input_layernorm.weight`, hidden);
    yield t(`${l}post_attention_layernorm.weight`, hidden);
  }
  yield t('model.norm.weight', hidden);
}

function headerJson(tensors: Iterable<TensorSpec>, dataBytes: number): string {
  const entries: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  let offset = 0;
  for (const spec of tensors) {
    const size = tensorBytes(spec);
    // Whatever does not fit is skipped; smaller tensors further on may still fit.
    if (offset + size > dataBytes) continue;
    entries[spec.name] = {
      dtype: spec.dtype,
      shape: spec.shape,
      data_offsets: [offset, offset + size],
    };
    offset += size;
  }
  if (offset < dataBytes) {
    // The rest of the budget as one byte tensor, so every data byte belongs to a tensor.
    entries.extra_state = {
      dtype: 'U8',
      shape: [dataBytes - offset],
      data_offsets: [offset, dataBytes],
    };
  }
  return JSON.stringify(entries);
}

/**
 * The header of a `.safetensors` file of exactly `totalBytes` bytes: a u64 little-endian
 * length, then JSON padded with spaces (the format allows it) to a multiple of 8.
 *
 * The rest of the file is the tensors' data: random bytes, written by the caller.
 */
function safetensorsHeader(totalBytes: number, tensors: () => Iterable<TensorSpec>): Buffer {
  let reserved = 0;
  for (;;) {
    const json = headerJson(tensors(), totalBytes - 8 - reserved);
    const length = Buffer.byteLength(json);
    if (length <= reserved) {
      const header = Buffer.alloc(8 + reserved, 0x20);
      header.writeBigUInt64LE(BigInt(reserved), 0);
      header.write(json, 8, 'utf8');
      return header;
    }
    reserved = Math.ceil((length + 64) / 8) * 8;
  }
}

const syllables = [
  'ka',
  'ro',
  'ti',
  'me',
  'na',
  'lu',
  'se',
  'po',
  'di',
  'ga',
  'vo',
  're',
  'mi',
  'to',
  'la',
  'ne',
  'tion',
  'ment',
  'ing',
  'er',
  'est',
  'al',
  'ous',
  'ive',
  'able',
  'ly',
  'ed',
  'ist',
  'ure',
  'ance',
];

/** A WordPiece or BPE vocabulary of `size` distinct tokens, real words first. */
function vocabulary(
  rng: SeededRandom,
  size: number,
  specials: ReadonlyArray<string>,
  subwordPrefix: string,
): Record<string, number> {
  const tokens = new Set<string>(specials);
  for (const topic of DEMO_TOPICS) {
    for (const word of [...topic.nouns, ...topic.adjectives, ...topic.verbs]) {
      for (const part of word.split(/[ -]/)) if (tokens.size < size) tokens.add(part.toLowerCase());
    }
  }
  for (let c = 33; c < 127 && tokens.size < size; c++) tokens.add(String.fromCharCode(c));
  while (tokens.size < size) {
    let piece = '';
    for (let n = rng.int(1, 3); n > 0; n--) piece += rng.pick(syllables);
    tokens.add(rng.chance(0.4) ? `${subwordPrefix}${piece}` : piece);
  }
  const vocab: Record<string, number> = {};
  let id = 0;
  for (const token of tokens) vocab[token] = id++;
  return vocab;
}

function wordPieceTokenizer(rng: SeededRandom, size: number): string {
  const specials = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
  const vocab = vocabulary(rng, size, specials, '##');
  return JSON.stringify(
    {
      version: '1.0',
      truncation: { direction: 'Right', max_length: 128, strategy: 'LongestFirst', stride: 0 },
      padding: null,
      added_tokens: specials.map((content, id) => ({
        id,
        content,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: false,
        special: true,
      })),
      normalizer: {
        type: 'BertNormalizer',
        clean_text: true,
        handle_chinese_chars: true,
        strip_accents: null,
        lowercase: true,
      },
      pre_tokenizer: { type: 'BertPreTokenizer' },
      post_processor: { type: 'TemplateProcessing', single: ['[CLS]', '$A', '[SEP]'] },
      decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: '##',
        max_input_chars_per_word: 100,
        vocab,
      },
    },
    null,
    2,
  );
}

function bpeTokenizer(rng: SeededRandom, size: number): string {
  const specials = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
  const vocab = vocabulary(rng, size, specials, 'Ġ');
  const pieces = Object.keys(vocab).filter((token) => token.length > 1 && !token.startsWith('<|'));
  const merges: string[] = [];
  for (let i = 0; i < Math.min(pieces.length, size / 2); i++) {
    const piece = pieces[i] ?? 'ab';
    const cut = Math.max(1, Math.floor(piece.length / 2));
    merges.push(`${piece.slice(0, cut)} ${piece.slice(cut)}`);
  }
  return JSON.stringify(
    {
      version: '1.0',
      added_tokens: specials.map((content, id) => ({ id: size + id, content, special: true })),
      normalizer: { type: 'NFC' },
      pre_tokenizer: {
        type: 'ByteLevel',
        add_prefix_space: false,
        trim_offsets: false,
        use_regex: true,
      },
      decoder: { type: 'ByteLevel' },
      model: { type: 'BPE', dropout: null, unk_token: null, byte_fallback: false, vocab, merges },
    },
    null,
    2,
  );
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function bertConfig(name: string, vocab: number, extra: Record<string, unknown> = {}): string {
  return json({
    _name_or_path: name,
    architectures: ['BertModel'],
    attention_probs_dropout_prob: 0.1,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0.1,
    hidden_size: 384,
    initializer_range: 0.02,
    intermediate_size: 1536,
    layer_norm_eps: 1e-12,
    max_position_embeddings: 512,
    model_type: 'bert',
    num_attention_heads: 12,
    num_hidden_layers: 6,
    pad_token_id: 0,
    torch_dtype: 'float32',
    transformers_version: '4.44.2',
    vocab_size: vocab,
    ...extra,
  });
}

/** Git's blob id of some content: what a Hugging Face cache names small (non-LFS) blobs by. */
function gitBlobId(content: Buffer): string {
  return crypto
    .createHash('sha1')
    .update(`blob ${content.byteLength}\0`)
    .update(content)
    .digest('hex');
}

function weightsFile(
  path: string,
  bytes: number,
  mtime: Date,
  stream: string,
  tensors: () => Iterable<TensorSpec>,
): PlannedFile {
  return {
    path,
    bytes,
    mtime,
    content: { kind: 'random', stream, header: safetensorsHeader(bytes, tensors) },
  };
}

/**
 * Plans local_data/models/: the embedding model the collections were built with, a model in
 * the Hugging Face style cache (with a stale download lock), the custom model nobody can
 * download again, and in the large demo a local chat model that dominates the size.
 */
export function planModels(
  rng: SeededRandom,
  profile: DemoProfile,
  now: Date,
  seedName: string,
): PlannedFile[] {
  const files: PlannedFile[] = [];
  const downloaded = daysBefore(now, rng.int(200, 320));

  const embedding = `${nativePaths.models}/all-MiniLM-L6-v2`;
  const embeddingVocab = profile.vocabularySize;
  files.push(
    textFile(
      `${embedding}/config.json`,
      bertConfig('sentence-transformers/all-MiniLM-L6-v2', embeddingVocab),
      downloaded,
    ),
    textFile(
      `${embedding}/tokenizer.json`,
      wordPieceTokenizer(rng.fork('embedding-vocab'), embeddingVocab),
      downloaded,
    ),
    textFile(
      `${embedding}/tokenizer_config.json`,
      json({
        do_lower_case: true,
        model_max_length: 512,
        tokenizer_class: 'BertTokenizer',
        unk_token: '[UNK]',
      }),
      downloaded,
    ),
    textFile(
      `${embedding}/modules.json`,
      json([
        { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
        { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      ]),
      downloaded,
    ),
    textFile(
      `${embedding}/1_Pooling/config.json`,
      json({ word_embedding_dimension: 384, pooling_mode_mean_tokens: true }),
      downloaded,
    ),
    weightsFile(
      `${embedding}/model.safetensors`,
      profile.embeddingModelBytes,
      downloaded,
      `${seedName}/models/embedding`,
      () => bertTensors(384, embeddingVocab, ''),
    ),
  );

  // A Hugging Face hub cache: blobs named by content, refs naming a commit, and a lock file
  // that a crashed download left behind.
  const repo = `${nativePaths.modelCache}/models--BAAI--bge-small-en-v1.5`;
  const cached = daysBefore(now, rng.int(90, 180));
  const commit = rng.hex(40);
  const cachedConfig = Buffer.from(
    bertConfig('BAAI/bge-small-en-v1.5', embeddingVocab, {
      architectures: ['BertModel'],
      label2id: { LABEL_0: 0 },
    }),
  );
  const cachedTokenizer = Buffer.from(
    wordPieceTokenizer(rng.fork('cache-vocab'), Math.min(embeddingVocab, 8_000)),
  );
  const configBlob = gitBlobId(cachedConfig);
  files.push(
    textFile(`${nativePaths.modelCache}/version.txt`, '1', cached),
    textFile(`${repo}/refs/main`, commit, cached),
    textFile(`${repo}/blobs/${configBlob}`, cachedConfig, cached),
    textFile(`${repo}/blobs/${gitBlobId(cachedTokenizer)}`, cachedTokenizer, cached),
    {
      path: `${repo}/blobs/${rng.hex(40)}.incomplete`,
      bytes: profile.cachedModelBytes,
      mtime: cached,
      content: {
        kind: 'random',
        stream: `${seedName}/models/cache`,
        header: safetensorsHeader(profile.cachedModelBytes, () =>
          bertTensors(384, embeddingVocab, ''),
        ),
        nameBySha256: true,
      },
    },
    textFile(
      `${nativePaths.modelCache}/.locks/models--BAAI--bge-small-en-v1.5/${configBlob}.lock`,
      '',
      daysBefore(cached, -0.01),
    ),
  );

  // The one model here that no download can bring back.
  const custom = `${nativePaths.models}/custom/support-intent-classifier`;
  const trained = daysBefore(now, rng.int(20, 60));
  const labels = ['billing', 'bug_report', 'account_access', 'feature_request', 'other'];
  files.push(
    textFile(
      `${custom}/config.json`,
      bertConfig('./checkpoints/support-intent-v3', embeddingVocab, {
        architectures: ['BertForSequenceClassification'],
        id2label: Object.fromEntries(labels.map((label, i) => [String(i), label])),
        label2id: Object.fromEntries(labels.map((label, i) => [label, i])),
        problem_type: 'single_label_classification',
      }),
      trained,
    ),
    textFile(
      `${custom}/training_args.json`,
      json({
        learning_rate: 3e-5,
        num_train_epochs: 4,
        per_device_train_batch_size: 32,
        seed: rng.int(1, 9999),
        warmup_ratio: 0.1,
      }),
      trained,
    ),
    textFile(
      `${custom}/README.md`,
      '# support-intent-classifier\n\nFine-tuned in house from all-MiniLM-L6-v2 on 18 months of labelled support tickets.\nThe training data was deleted after training: this folder is the only copy.\n',
      trained,
    ),
    weightsFile(
      `${custom}/model.safetensors`,
      profile.customModelBytes,
      trained,
      `${seedName}/models/custom`,
      () => bertTensors(384, embeddingVocab, 'bert.'),
    ),
  );

  if (profile.chatModelBytes > 0) {
    const chat = `${nativePaths.models}/qwen2.5-0.5b-instruct`;
    const chatVocab = 151_936;
    const pulled = daysBefore(now, rng.int(120, 200));
    files.push(
      textFile(
        `${chat}/config.json`,
        json({
          architectures: ['Qwen2ForCausalLM'],
          hidden_size: 896,
          intermediate_size: 4864,
          max_position_embeddings: 32768,
          model_type: 'qwen2',
          num_attention_heads: 14,
          num_hidden_layers: 24,
          num_key_value_heads: 2,
          torch_dtype: 'bfloat16',
          vocab_size: chatVocab,
        }),
        pulled,
      ),
      textFile(
        `${chat}/generation_config.json`,
        json({ do_sample: true, temperature: 0.7, top_p: 0.8, repetition_penalty: 1.05 }),
        pulled,
      ),
      textFile(`${chat}/tokenizer.json`, bpeTokenizer(rng.fork('chat-vocab'), 50_000), pulled),
      weightsFile(
        `${chat}/model.safetensors`,
        profile.chatModelBytes,
        pulled,
        `${seedName}/models/chat`,
        () => decoderTensors(896, chatVocab),
      ),
    );
  }
  return files;
}
