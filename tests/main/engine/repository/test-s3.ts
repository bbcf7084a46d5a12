import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * S3-compatible servers for the S3 backend tests.
 *
 * The local one is s3rver 3.7.1, the S3 emulator that runs in Node 20 here (its maintained
 * fork and fauxqs need Node 22 or 24). s3rver is weak, and the tests say so where it matters:
 * it accepts any secret key and does not check payload checksums, so it proves Tend's code
 * path (requests, layout, multipart, retries), not the security; and it does not decode the
 * `aws-chunked` bodies restic's client sends over plain HTTP, so restic can read what Tend
 * stored there but not write to it (restic runs with `--no-lock` against it).
 *
 * A real endpoint given by TEND_TEST_S3_ENDPOINT, TEND_TEST_S3_BUCKET,
 * TEND_TEST_S3_ACCESS_KEY_ID and TEND_TEST_S3_SECRET_ACCESS_KEY (with TEND_TEST_S3_REGION and
 * TEND_TEST_S3_PREFIX optional) runs the same suite.
 */

const here = path.dirname(fileURLToPath(import.meta.url));

/** One S3 endpoint the suite runs against. */
export interface S3Target {
  readonly name: string;
  readonly endpoint: string;
  readonly region: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The local emulator (faults can be staged in front of it; it checks no secrets). */
  readonly local: boolean;
  stop(): Promise<void>;
}

/** The real endpoint from the environment, or why there is none. */
export function endpointFromEnvironment(): { target: Omit<S3Target, 'stop'> } | { why: string } {
  const env = process.env;
  const missing = [
    'TEND_TEST_S3_ENDPOINT',
    'TEND_TEST_S3_BUCKET',
    'TEND_TEST_S3_ACCESS_KEY_ID',
    'TEND_TEST_S3_SECRET_ACCESS_KEY',
  ].filter((name) => !env[name]);
  if (missing.length > 0) return { why: `no real S3 endpoint: ${missing.join(', ')} not set` };
  return {
    target: {
      name: `real endpoint ${env.TEND_TEST_S3_ENDPOINT}`,
      endpoint: env.TEND_TEST_S3_ENDPOINT!,
      region: env.TEND_TEST_S3_REGION ?? 'us-east-1',
      bucket: env.TEND_TEST_S3_BUCKET!,
      prefix: env.TEND_TEST_S3_PREFIX ?? `tend-test-${process.pid}`,
      accessKeyId: env.TEND_TEST_S3_ACCESS_KEY_ID!,
      secretAccessKey: env.TEND_TEST_S3_SECRET_ACCESS_KEY!,
      local: false,
    },
  };
}

/** Starts s3rver (in a child process, s3rver-child.ts) on a free loopback port with a bucket `tend`. */
export async function startS3rver(): Promise<S3Target> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-s3rver-'));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 's3rver-child.ts'), dir],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(Number(out.trim()));
    });
    child.once('exit', (code) => reject(new Error(`s3rver exited (${code}): ${stderr}`)));
  });
  return {
    name: 'local s3rver',
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    bucket: 'tend',
    prefix: 'backups/assistant',
    // s3rver's own account; it would take any secret (see above).
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    local: true,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A relay in front of a local server that enforces a bucket quota. */
export interface QuotaRelay {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * An HTTP relay that answers an upload which would take the bytes stored past `quotaBytes`
 * as Ceph RGW answers when a bucket quota is reached (403, `QuotaExceeded`), and passes
 * everything else to the server. s3rver has no quota of its own.
 */
export async function startQuotaRelay(targetPort: number, quotaBytes: number): Promise<QuotaRelay> {
  let stored = 0;
  const server = http.createServer((request, response) => {
    const length = Number(request.headers['content-length'] ?? 0);
    if (request.method === 'PUT' && stored + length > quotaBytes) {
      request.resume();
      request.on('end', () => {
        response.writeHead(403, { 'content-type': 'application/xml' });
        response.end(
          '<?xml version="1.0" encoding="UTF-8"?><Error><Code>QuotaExceeded</Code><Message>Bucket quota exceeded</Message></Error>',
        );
      });
      return;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: targetPort,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        if (request.method === 'PUT' && (answer.statusCode ?? 500) < 300) stored += length;
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
