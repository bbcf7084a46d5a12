/**
 * Jan's stores: each thread's folder (thread.json, a JSON file Jan writes whole, and
 * messages.jsonl, one message a line) and each assistant's assistant.json.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { jsonStore } from '../../stores/json-store/json-store';
import { parseJsonFile } from '../../stores/json-store/json-parse';
import { storeCheck, type StoreFinding } from '../../stores/store-finding';
import type { ProfileStore } from '../profile';
import { defineStore, summarised } from '../profile-store';
import { ASSISTANT_FILE, janPaths as p, MESSAGES_FILE, THREAD_FILE } from './jan-paths';

/**
 * The lines of messages.jsonl that do not parse. Jan rewrites the file a message a line
 * (src-tauri/src/core/threads/helpers.rs `write_messages_to_file`: File::create, then one
 * serde_json line each), so a last line cut short is a write cut off by a crash or a full
 * disk; a bad line in the middle is damage. `read_messages_from_file` fails on any bad line:
 * Jan cannot open the thread at all.
 */
export function messageLineFindings(text: string, label: string): StoreFinding[] {
  const lines = text.split('\n');
  // A file ending in a newline has an empty last "line".
  if (lines.at(-1) === '') lines.pop();
  const findings: StoreFinding[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const parsed = parseJsonFile(line);
    if (parsed.ok) return;
    const last = index === lines.length - 1;
    findings.push(
      last && parsed.truncated
        ? {
            code: 'JSON_TRUNCATED',
            severity: 'problem',
            path: label,
            message: `The last message of ${label} (line ${index + 1}) ends too early: it was cut off while being written.`,
            action: `Restore ${label} from a backup; Jan cannot open this thread until then.`,
          }
        : {
            code: 'JSON_INVALID',
            severity: 'problem',
            path: label,
            message: `Line ${index + 1} of ${label} is not a message Jan can read: ${parsed.detail}.`,
            action: `Restore ${label} from a backup; Jan cannot open this thread until then.`,
          },
    );
  });
  return findings;
}

/** One folder per conversation. */
const threads = defineStore({
  id: 'threads',
  title: 'conversations (threads)',
  kind: jsonStore,
  paths: [`${p.threads}/*`],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute, files: [THREAD_FILE] }),
  validation:
    'thread.json parses whole (threads/helpers.rs update_thread_metadata rewrites it in place, so a short file was cut off); every line of messages.jsonl is a message that parses.',
  label: ({ relative }) => `thread ${path.posix.basename(relative)}`,
  validate: async ({ relative }, location, options) => {
    const thread = await jsonStore.validate(location, options);
    const findings = thread.findings.map((finding) => ({
      ...finding,
      path: `${relative}/${finding.path}`,
      message: finding.message.replaceAll(THREAD_FILE, `${relative}/${THREAD_FILE}`),
      action: finding.action.replaceAll(THREAD_FILE, `${relative}/${THREAD_FILE}`),
    }));
    const messages = await fs
      .readFile(path.join(location.dir, MESSAGES_FILE), 'utf8')
      .catch(() => null);
    // A thread nobody wrote in yet has no messages file.
    if (messages !== null) {
      findings.push(...messageLineFindings(messages, `${relative}/${MESSAGES_FILE}`));
    }
    return summarised(storeCheck(thread.facts, findings));
  },
});

/** One folder per assistant. */
const assistants = defineStore({
  id: 'assistants',
  title: 'assistants',
  kind: jsonStore,
  paths: [`${p.assistants}/*`],
  shape: 'folder',
  category: 'irreplaceable',
  locate: ({ absolute }) => ({ dir: absolute, files: [ASSISTANT_FILE] }),
  validation: 'assistant.json parses whole.',
  label: ({ relative }) => `assistant ${path.posix.basename(relative)}`,
});

/** Jan's stores. */
export const janStores: ReadonlyArray<ProfileStore> = [threads, assistants];
