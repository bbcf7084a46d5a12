/**
 * A system error in a few words a person reads, without the path Node puts in its message
 * (the caller names the file itself) and without saying the code twice: Node's
 * "EACCES: permission denied, open '/x'" becomes "permission denied (EACCES)".
 */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (!code) return message;
  const rest = message.startsWith(`${code}: `) ? message.slice(code.length + 2) : message;
  // Node's form is "<what>, <syscall> '<path>'"; what happened is the first part.
  const what = rest.replace(/, \w+ '.*$/s, '').trim();
  return what && what !== code ? `${what} (${code})` : code;
}
