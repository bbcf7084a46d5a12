import { TendFailure } from '../../../src-shared/errors';
import { MissingFileError, type Backend, type FileType } from './backend';
import { openBlob } from './blob-opening';
import { decodeIndex } from './index-file';
import {
  createKeyFile,
  DEFAULT_SCRYPT,
  KeyFileSchema,
  openKeyFile,
  type ScryptParams,
} from './key-file';
import { MasterIndex } from './master-index';
import { decodePackHeader, MAX_PACK_HEADER_SIZE, type BlobType } from './pack-format';
import {
  decodeConfig,
  encodeConfig,
  newConfig,
  UnsupportedVersionError,
  type RepositoryConfig,
} from './repository-config';
import { corrupt, notARepository, wrongPassphrase } from './repository-errors';
import { AuthenticationError, newRandomKey, open, seal, type CryptoKey } from './restic-crypto';
import { hashId, type ResticId } from './restic-id';
import { decodeUnpacked, encodeUnpacked } from './unpacked-encoding';
import { parseGoTime } from './go-time';

/** Index files read at once when the index is loaded. */
const INDEX_READS_IN_FLIGHT = 4;

/** Options for a new repository. */
export interface InitOptions {
  /** scrypt parameters of the first key (tests use small ones). */
  readonly kdf?: ScryptParams;
}

/** One key of a repository, as `listKeys` shows it. */
export interface RepositoryKeyInfo {
  readonly id: ResticId;
  readonly current: boolean;
  readonly created: Date | null;
  readonly username: string;
  readonly hostname: string;
}

/**
 * An open repository: its storage, config and master key, and the operations every other
 * module builds on (read and write sealed files, read blobs, load the index, manage keys).
 * restic internal/repository/repository.go.
 */
export class Repository {
  private constructor(
    readonly backend: Backend,
    readonly config: RepositoryConfig,
    private readonly key: CryptoKey,
    readonly keyId: ResticId,
  ) {}

  /**
   * Makes a new repository: folders, a key file for the passphrase, then the config
   * (repository.go, Init). The config goes last, so a failed init leaves no repository that
   * looks complete.
   */
  static async init(
    backend: Backend,
    passphrase: string,
    options: InitOptions = {},
  ): Promise<Repository> {
    if (!passphrase) throw new TendFailure('INVALID_INPUT', 'A repository needs a passphrase.');
    await backend.create();
    const master = newRandomKey();
    const keyBytes = await createKeyFile(master, passphrase, options.kdf ?? DEFAULT_SCRYPT);
    const keyId = hashId(keyBytes);
    await backend.write({ type: 'keys', name: keyId }, keyBytes);
    const config = newConfig();
    await backend.write({ type: 'config', name: '' }, seal(master, encodeConfig(config)));
    return new Repository(backend, config, master, keyId);
  }

  /**
   * Opens a repository with a passphrase: tries each key file, then reads the config. Writes
   * nothing; a passphrase that opens no key is a clear UNAUTHORIZED failure.
   */
  static async open(backend: Backend, passphrase: string): Promise<Repository> {
    const configBytes = await backend.read({ type: 'config', name: '' }).catch((error: unknown) => {
      if (error instanceof MissingFileError)
        throw notARepository(backend.location, 'no config file');
      throw error;
    });
    const keys = await backend.list('keys');
    if (keys.length === 0) throw notARepository(backend.location, 'no key files');
    for (const key of keys) {
      const bytes = await backend.read({ type: 'keys', name: key.name });
      const opened = await openKeyFile(bytes, passphrase);
      if (!opened.ok) continue;
      let config: RepositoryConfig;
      try {
        config = decodeConfig(open(opened.key, configBytes));
      } catch (error) {
        if (error instanceof UnsupportedVersionError) {
          throw new TendFailure(
            'RESTORE_FORMAT_NEWER',
            `The repository at ${backend.location} has format version ${error.version}, newer than this Tend reads (1 and 2). Update Tend.`,
            { reason: 'repository-version', version: error.version },
          );
        }
        throw corrupt(
          `The config of the repository at ${backend.location} is damaged (${(error as Error).message}).`,
        );
      }
      return new Repository(backend, config, opened.key, key.name);
    }
    throw wrongPassphrase(backend.location);
  }

  /** The master key, for code that seals or opens blobs without a Repository (blob-writer.ts). */
  get masterKey(): CryptoKey {
    return this.key;
  }

  /** Seals bytes with the master key. */
  seal(plaintext: Uint8Array): Buffer {
    return seal(this.key, plaintext);
  }

  /** Opens sealed bytes; throws a plain AuthenticationError when they were changed. */
  open(sealed: Uint8Array): Buffer {
    return open(this.key, sealed);
  }

  /** Writes an index, snapshot or lock file: JSON, compressed, sealed, named by its hash. */
  async saveUnpacked(type: 'index' | 'snapshots' | 'locks', json: Buffer): Promise<ResticId> {
    const sealed = this.seal(encodeUnpacked(json, this.config.version));
    const id = hashId(sealed);
    await this.backend.write({ type, name: id }, sealed);
    return id;
  }

  /** Reads an index, snapshot or lock file back to its JSON, checking its name and its MAC. */
  async loadUnpacked(type: 'index' | 'snapshots' | 'locks', id: ResticId): Promise<Buffer> {
    const sealed = await this.backend.read({ type, name: id });
    if (hashId(sealed) !== id) {
      throw corrupt(
        `${type}/${id} in ${this.backend.location} does not match its name: its bytes changed.`,
        { file: `${type}/${id}` },
      );
    }
    try {
      return decodeUnpacked(this.open(sealed), this.config.version);
    } catch (error) {
      throw corrupt(
        `${type}/${id} in ${this.backend.location} cannot be read (${(error as Error).message}).`,
        { file: `${type}/${id}` },
      );
    }
  }

  /** Ids of every file of a kind. */
  async listIds(type: FileType): Promise<ResticId[]> {
    return (await this.backend.list(type)).map((file) => file.name);
  }

  /** Reads every index file into one master index (repository.go, LoadIndex). */
  async loadIndex(): Promise<MasterIndex> {
    const index = new MasterIndex();
    const ids = await this.listIds('index');
    const contents: Array<ReturnType<typeof decodeIndex>> = new Array(ids.length);
    // A few reads in flight, not one after another: a repository gains an index file with
    // each backup that stored anything, and every backup and restore reads them all first.
    let next = 0;
    let failed = false;
    const reader = async (): Promise<void> => {
      while (!failed && next < ids.length) {
        const at = next++;
        try {
          contents[at] = decodeIndex(await this.loadUnpacked('index', ids[at]!));
        } catch (error) {
          failed = true; // the other readers start no further read
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(INDEX_READS_IN_FLIGHT, ids.length) }, reader));
    const files = new Map(ids.map((id, at) => [id, contents[at]!]));
    // An index file another one supersedes is left over from a prune cut short: skip it.
    const superseded = new Set([...files.values()].flatMap((file) => file.supersedes));
    for (const [id, content] of files) {
      if (superseded.has(id)) {
        index.supersededFiles.add(id);
        continue;
      }
      for (const pack of content.packs) index.addPack(pack.id, pack.blobs);
      index.indexFiles.add(id);
    }
    return index;
  }

  /**
   * Opens one sealed blob as read from its pack, checking MAC and hash (blob-opening.ts). With
   * `into` (room for the plaintext), the plaintext is written there and a view of it returned.
   */
  decodeBlob(
    sealed: Buffer,
    expected: { id: ResticId; uncompressedLength: number },
    into?: Buffer,
  ): Buffer {
    return openBlob(this.key, sealed, expected, into);
  }

  /** Reads one blob by id through the index. */
  async readBlob(index: MasterIndex, type: BlobType, id: ResticId): Promise<Buffer> {
    const location = index.lookup(type, id);
    if (!location) {
      throw corrupt(
        `The ${type} blob ${id} is in no index of ${this.backend.location}: a backup refers to data the repository does not have.`,
        { blob: id },
      );
    }
    const { packId, blob } = location;
    const sealed = await this.backend
      .read({ type: 'data', name: packId }, { offset: blob.offset, length: blob.length })
      .catch((error: unknown) => {
        if (error instanceof MissingFileError) {
          throw corrupt(
            `The pack ${packId} that holds blob ${id} is missing from ${this.backend.location}.`,
            { pack: packId, blob: id },
          );
        }
        throw error;
      });
    try {
      if (sealed.length !== blob.length) throw new AuthenticationError();
      return this.decodeBlob(sealed, blob);
    } catch {
      throw corrupt(
        `The ${type} blob ${id} in pack ${packId} is damaged (its MAC or hash does not match).`,
        { pack: packId, blob: id },
      );
    }
  }

  /** Reads a pack's own header (pack.go, List): the blobs it says it holds. */
  async readPackHeader(
    packId: ResticId,
    packSize: number,
  ): Promise<ReturnType<typeof decodePackHeader>> {
    const tailLength = Math.min(packSize, MAX_PACK_HEADER_SIZE);
    const tail = await this.backend.read(
      { type: 'data', name: packId },
      { offset: packSize - tailLength, length: tailLength },
    );
    const headerLength = tail.readUInt32LE(tail.length - 4);
    if (headerLength + 4 > tail.length) throw new Error('pack header larger than the pack');
    const sealed = tail.subarray(tail.length - 4 - headerLength, tail.length - 4);
    return decodePackHeader(this.open(sealed));
  }

  /** Adds a key for another passphrase; the master key, and so every backup, stays the same. */
  async addKey(passphrase: string, kdf: ScryptParams = DEFAULT_SCRYPT): Promise<ResticId> {
    if (!passphrase) throw new TendFailure('INVALID_INPUT', 'A key needs a passphrase.');
    const bytes = await createKeyFile(this.key, passphrase, kdf);
    const id = hashId(bytes);
    await this.backend.write({ type: 'keys', name: id }, bytes);
    return id;
  }

  /** Every key of the repository. */
  async listKeys(): Promise<RepositoryKeyInfo[]> {
    const keys: RepositoryKeyInfo[] = [];
    for (const id of await this.listIds('keys')) {
      const parsed = KeyFileSchema.safeParse(
        safeJson(await this.backend.read({ type: 'keys', name: id })),
      );
      keys.push({
        id,
        current: id === this.keyId,
        created: parsed.success ? safeDate(parsed.data.created) : null,
        username: parsed.success ? parsed.data.username : '',
        hostname: parsed.success ? parsed.data.hostname : '',
      });
    }
    return keys;
  }

  /** Whether `passphrase` opens the key `id` (its key file decrypts with it). */
  async keyOpensWith(id: ResticId, passphrase: string): Promise<boolean> {
    const bytes = await this.backend.read({ type: 'keys', name: id });
    return (await openKeyFile(bytes, passphrase)).ok;
  }

  /** Removes another key; the key this repository was opened with cannot be removed. */
  async removeKey(id: ResticId): Promise<void> {
    if (id === this.keyId) {
      throw new TendFailure(
        'INVALID_INPUT',
        'The key in use cannot be removed; open the repository with another passphrase first.',
      );
    }
    if (!(await this.backend.stat({ type: 'keys', name: id }))) {
      throw new TendFailure('INVALID_INPUT', `The repository has no key ${id}.`);
    }
    await this.backend.remove({ type: 'keys', name: id });
  }
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
}

function safeDate(text: string): Date | null {
  try {
    return new Date(Number(parseGoTime(text) / 1_000_000n));
  } catch {
    return null;
  }
}
