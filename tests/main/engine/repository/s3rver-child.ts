// Runs s3rver for s3-backend.test.ts in its own process (`node s3rver-child.ts <folder>`), so a
// test that waits on restic with spawnSync does not stop the server from answering restic.
// Prints the port once it listens; ends when its parent closes stdin.
import type net from 'node:net';
import S3rver from 's3rver';

const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: process.argv[2]!,
  configureBuckets: [{ name: 'tend', configs: [] }],
});
const { port } = (await server.run()) as net.AddressInfo;
process.stdout.write(`${port}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().then(() => process.exit(0));
});
