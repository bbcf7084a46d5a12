import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { TendFailure } from '../../../src-shared/errors';

const PinsSchema = z.record(z.string(), z.string().startsWith('SHA256:'));

/**
 * The SFTP host keys Tend has met, pinned on first use (`host:port` → `SHA256:…`), kept in one
 * JSON file in Tend's app-state folder, as ssh keeps known_hosts: the next connection to the
 * same server must show the same key (SftpBackend's `hostKey`). No secret is in it.
 */
export class HostKeyPins {
  constructor(private readonly file: string) {}

  /** The file in an app-state folder. */
  static inStateDir(stateDir: string): HostKeyPins {
    return new HostKeyPins(path.join(stateDir, 'repository-host-keys.json'));
  }

  /** The fingerprint pinned for a server, or null when it has not been met. */
  get(host: string, port: number): string | null {
    return this.read()[`${host}:${port}`] ?? null;
  }

  /** Pins a server's fingerprint (written atomically). */
  set(host: string, port: number, fingerprint: string): void {
    const pins = { ...this.read(), [`${host}:${port}`]: fingerprint };
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(pins, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }

  private read(): Record<string, string> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
    const parsed = PinsSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new TendFailure(
        'SETTINGS_INVALID',
        `${this.file} is not a list of pinned host keys Tend can read; move it aside to pin the servers again.`,
        { path: this.file },
      );
    }
    return parsed.data;
  }
}
