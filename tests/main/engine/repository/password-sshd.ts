import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';

/**
 * An SSH server that logs in by password, for the SFTP password test. Debian's sshd checks
 * passwords against the system's accounts (PAM, /etc/shadow), and making an account with a
 * password would change the machine; so this server is ssh2's own SSH implementation, which
 * checks one user name and password, and hands the `sftp` subsystem to OpenSSH's real
 * sftp-server, as sshd does. The SSH transport and the login are the real protocol.
 */

/** Where OpenSSH's SFTP server is on Debian. */
export const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

/** A running password server. */
export interface PasswordSshd {
  readonly port: number;
  readonly username: string;
  readonly password: string;
  stop(): Promise<void>;
}

/** Starts it on a free loopback port. */
export async function startPasswordSshd(): Promise<PasswordSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-password-sshd-'));
  const keyFile = path.join(dir, 'host_key');
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile], { stdio: 'ignore' });
  const username = 'tend';
  const password = 'correct password';
  const server = new ssh2.Server({ hostKeys: [fs.readFileSync(keyFile)] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (context) => {
      if (context.method === 'password' && context.username === username) {
        if (context.password === password) context.accept();
        else context.reject(['password']);
      } else {
        context.reject(['password']);
      }
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        session.on('subsystem', (accept, reject, info) => {
          if (info.name !== 'sftp') {
            reject();
            return;
          }
          const channel = accept();
          const sftp = spawn(SFTP_SERVER, [], { stdio: ['pipe', 'pipe', 'ignore'] });
          channel.pipe(sftp.stdin);
          sftp.stdout.pipe(channel);
          sftp.on('exit', () => channel.close());
          channel.on('close', () => sftp.kill());
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    username,
    password,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
