import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { TendFailure } from '../../../src-shared/errors';
import { formatBytes } from '../../../src-shared/language/bytes';
import {
  MissingFileError,
  type Backend,
  type ByteRange,
  type FileHandle,
  type FileType,
  type StoredFile,
} from './backend';
import { DEFAULT_RETRY, type RetryPolicy } from './backend-retry';
import { layoutPath, LAYOUT_FOLDERS } from './repository-layout';
import {
  credentialsRefused,
  repositoryExists,
  storageFailed,
  storageFull,
  unreachable,
} from './repository-errors';
import { isResticId } from './restic-id';

/** Where an S3-compatible repository is and how to sign in. */
export interface S3Options {
  /**
   * The service's address (`https://s3.eu-central-003.backblazeb2.com`,
   * `https://<account>.r2.cloudflarestorage.com`, `http://127.0.0.1:9000`); AWS when left out.
   */
  readonly endpoint?: string;
  /** `us-east-1` when left out (what MinIO and most S3-compatible services accept; R2 wants `auto`). */
  readonly region?: string;
  readonly bucket: string;
  /** The folder inside the bucket (no leading or trailing slash); the bucket's top when empty. */
  readonly prefix?: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  /** Bucket in the path, not the host name (true by default with an endpoint: MinIO, Ceph, local servers). */
  readonly forcePathStyle?: boolean;
  /** Files larger than this go up in parts (8 MiB). */
  readonly multipartThreshold?: number;
  /** The size of each part (8 MiB; S3's minimum is 5 MiB). */
  readonly partSize?: number;
  /** Attempts per request across dropped connections and busy servers (DEFAULT_RETRY's count). */
  readonly retry?: RetryPolicy;
}

const MiB = 1024 * 1024;

/** Error codes S3-compatible services use for a full disk or a reached quota or cap. */
const FULL_CODES = new Set([
  'QuotaExceeded',
  'XMinioStorageFull',
  'InsufficientStorage',
  'StorageFull',
  'EntityTooLarge',
]);

/** Error codes that mean the keys are wrong or not allowed. */
const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'InvalidToken',
  'ExpiredToken',
  'Forbidden',
]);

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

function isNotFound(error: unknown): boolean {
  const name = (error as Error).name;
  return name === 'NoSuchKey' || name === 'NotFound' || statusOf(error) === 404;
}

/**
 * A repository in an S3-compatible bucket (AWS S3, Backblaze B2, Cloudflare R2, MinIO, Ceph
 * RGW) through @aws-sdk/client-s3, laid out as restic's s3 backend lays it out (its "default"
 * layout: `<prefix>/config`, `<prefix>/data/<2 hex>/<id>`, …), so
 * `restic -r s3:<endpoint>/<bucket>/<prefix>` opens it. An object appears whole or not at all
 * and is durable when the service answers, which is all the writer needs; large packs go up in
 * parts (@aws-sdk/lib-storage), each part retried on its own after a dropped connection.
 * Checksums are sent and checked only where the API requires them (WHEN_REQUIRED), which
 * Backblaze B2 and Cloudflare R2 need.
 */
export class S3Backend implements Backend {
  /**
   * AWS S3, B2, R2, MinIO and Ceph list an object once its upload returns; older or other
   * S3-compatible stores may lag, so locks keep restic's wait here.
   */
  readonly lockSettleMs = 200;
  readonly location: string;
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly options: S3Options) {
    this.prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    const where = options.endpoint ? options.endpoint.replace(/\/+$/, '') : 's3.amazonaws.com';
    this.location = `s3:${where}/${options.bucket}${this.prefix ? `/${this.prefix}` : ''}`;
    this.client = new S3Client({
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      region: options.region ?? 'us-east-1',
      forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
      credentials: {
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.secretAccessKey,
        ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
      },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: (options.retry ?? DEFAULT_RETRY).attempts,
      requestHandler: { connectionTimeout: 15_000, requestTimeout: 120_000 },
    });
  }

  private key(relative: string): string {
    return this.prefix ? `${this.prefix}/${relative}` : relative;
  }

  private keyOf(handle: FileHandle): string {
    return this.key(layoutPath(handle));
  }

  /** Runs one request; failures become TendFailures that say what to do. */
  private async send<T>(action: string, request: () => Promise<T>, neededBytes = 0): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw await this.failure(action, error, neededBytes);
    }
  }

  private async failure(action: string, error: unknown, neededBytes: number): Promise<Error> {
    if (error instanceof TendFailure || error instanceof MissingFileError) return error;
    const name = (error as Error).name;
    const message = (error as Error).message ?? String(error);
    const status = statusOf(error);
    if (status === undefined && !(error instanceof S3ServiceException)) {
      // No answer from the service at all: a network failure (refused, reset, timed out).
      return unreachable(this.location, (error as NodeJS.ErrnoException).code ?? message);
    }
    // Before the credential codes: Ceph RGW reports a reached quota as 403 QuotaExceeded.
    if (FULL_CODES.has(name) || status === 507) {
      const failure = storageFull(this.location, neededBytes, null);
      const used = await this.usedBytes().catch(() => null);
      if (used === null) return failure;
      return new TendFailure(
        'NO_SPACE',
        `${failure.message} The repository there holds ${formatBytes(used)}; raise the bucket's quota or cap, or prune old backups.`,
        { ...(failure.details as Record<string, unknown>), usedBytes: used },
      );
    }
    if (CREDENTIAL_CODES.has(name) || status === 401 || status === 403) {
      return credentialsRefused(this.location, `${name}: ${message}`);
    }
    if (name === 'NoSuchBucket') {
      return new TendFailure(
        'DESTINATION_UNAVAILABLE',
        `The bucket ${this.options.bucket} does not exist at ${this.location}. Check its name, or let Tend make the repository (which makes the bucket).`,
        { reason: 'no-bucket', location: this.location },
      );
    }
    return storageFailed(this.location, action, { message: `${name}: ${message}` });
  }

  /** Bytes of every object under the prefix (what a quota counts). */
  private async usedBytes(): Promise<number> {
    let used = 0;
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.options.bucket,
          ...(this.prefix ? { Prefix: `${this.prefix}/` } : {}),
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      for (const object of page.Contents ?? []) used += object.Size ?? 0;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return used;
  }

  async create(): Promise<void> {
    if (await this.stat({ type: 'config', name: '' }).catch(() => null)) {
      throw repositoryExists(this.location);
    }
    await this.ensureBucket();
  }

  /** Makes the bucket when it is not there, as `restic init` does. */
  private async ensureBucket(): Promise<void> {
    const exists = await this.send('reach the bucket', () =>
      this.client
        .send(new HeadBucketCommand({ Bucket: this.options.bucket }))
        .then(() => true)
        .catch((error: unknown) => {
          if (isNotFound(error) || (error as Error).name === 'NoSuchBucket') return false;
          throw error;
        }),
    );
    if (exists) return;
    await this.send('make the bucket', () =>
      this.client.send(new CreateBucketCommand({ Bucket: this.options.bucket })),
    );
  }

  async list(type: FileType): Promise<StoredFile[]> {
    if (type === 'config') {
      const config = await this.stat({ type, name: '' });
      return config ? [config] : [];
    }
    const folder = `${this.key(LAYOUT_FOLDERS[type])}/`;
    const files: StoredFile[] = [];
    let token: string | undefined;
    do {
      const page = await this.send(`list ${LAYOUT_FOLDERS[type]}`, () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.options.bucket,
            Prefix: folder,
            ...(token ? { ContinuationToken: token } : {}),
          }),
        ),
      );
      for (const object of page.Contents ?? []) {
        const parts = (object.Key ?? '').slice(folder.length).split('/');
        const name = parts.at(-1) ?? '';
        const shaped =
          type === 'data'
            ? parts.length === 2 && parts[0] === name.slice(0, 2)
            : parts.length === 1;
        if (shaped && isResticId(name)) files.push({ name, size: object.Size ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return files;
  }

  async stat(handle: FileHandle): Promise<StoredFile | null> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(handle) }),
      );
      return { name: handle.name, size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw await this.failure(`read ${layoutPath(handle)}`, error, 0);
    }
  }

  async read(handle: FileHandle, range?: ByteRange): Promise<Buffer> {
    return this.readKey(this.keyOf(handle), layoutPath(handle), range, () => {
      throw new MissingFileError(handle);
    });
  }

  private async readKey(
    key: string,
    shown: string,
    range: ByteRange | undefined,
    missing: () => never,
  ): Promise<Buffer> {
    if (range?.length === 0) return Buffer.alloc(0);
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          ...(range ? { Range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {}),
        }),
      );
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if (isNotFound(error)) missing();
      throw await this.failure(`read ${shown}`, error, 0);
    }
  }

  async write(handle: FileHandle, data: Buffer): Promise<void> {
    await this.writeKey(this.keyOf(handle), layoutPath(handle), data);
  }

  private async writeKey(key: string, shown: string, data: Buffer): Promise<void> {
    const threshold = this.options.multipartThreshold ?? 8 * MiB;
    if (data.length <= threshold) {
      await this.send(
        `write ${shown}`,
        () =>
          this.client.send(
            new PutObjectCommand({
              Bucket: this.options.bucket,
              Key: key,
              Body: data,
              ContentLength: data.length,
              ContentType: 'application/octet-stream',
            }),
          ),
        data.length,
      );
      return;
    }
    // A failed multipart upload is aborted (leavePartsOnError false): nothing half-written stays.
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.options.bucket,
        Key: key,
        Body: data,
        ContentType: 'application/octet-stream',
      },
      partSize: Math.max(5 * MiB, this.options.partSize ?? 8 * MiB),
      queueSize: 2,
      leavePartsOnError: false,
    });
    await this.send(`write ${shown}`, () => upload.done(), data.length);
  }

  async remove(handle: FileHandle): Promise<void> {
    await this.send(`delete ${layoutPath(handle)}`, () =>
      this.client.send(
        new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.keyOf(handle) }),
      ),
    );
  }

  /** Object storage has no free space to tell; a quota shows when it is reached. */
  async freeBytes(): Promise<number | null> {
    return null;
  }

  async writeScratch(name: string, data: Buffer): Promise<void> {
    await this.ensureBucket();
    await this.writeKey(this.key(name), name, data);
  }

  async readScratch(name: string): Promise<Buffer> {
    return this.readKey(this.key(name), name, undefined, () => {
      throw storageFailed(this.location, `read ${name}`, { code: 'ENOENT' });
    });
  }

  async removeScratch(name: string): Promise<void> {
    await this.send(`delete ${name}`, () =>
      this.client.send(
        new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) }),
      ),
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
