// Loader hooks for register.mjs: they run on the loader's own thread, so each resolution is
// appended to the log file at once.
import fs from 'node:fs';

let file = null;

/** Receives the log file's name from register.mjs. */
export function initialize(data) {
  file = data?.file ?? null;
}

/** Logs every module that resolves, after the hooks registered before it had their say. */
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (file) fs.appendFileSync(file, `${resolved.url}\n`);
  return resolved;
}
