/**
 * Opening a folder Tend manages already checks its recorded profile only (issue 13: `tend
 * info` spent its start-up matching every profile); the person asking what a folder is, or a
 * managed folder whose profile's markers are gone, still gets every profile matched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectFolder } from '../../../../src-main/engine/root/assistant-folder';
import { admitRoot, type AdmissionContext } from '../../../../src-main/engine/root/root-admission';
import { profiles } from '../../../../src-main/engine/profiles/registry';
import { tempDir } from '../../../support/temp-dir';

/** A folder with the native profile's vector store folder (one of its markers). */
function nativeFolder(): string {
  const folder = tempDir();
  fs.mkdirSync(path.join(folder, 'local_data/internal_assistant/vector_store/notes'), {
    recursive: true,
  });
  return folder;
}

/** An admission context that manages every folder with `profile`. */
const managedWith = (profile: string | null): AdmissionContext => ({
  env: {
    platform: 'linux',
    home: '/nonexistent/home',
    stateDir: '/nonexistent/state',
    tempDir: os.tmpdir(),
  },
  destinations: [],
  managedAs: async () => profile,
});

describe('inspectFolder of a managed folder', () => {
  it('matches every profile unless told otherwise', async () => {
    const findings = await inspectFolder(nativeFolder(), null, 'native');
    expect(findings.kind).toBe('managed');
    expect(findings.matches.map((match) => match.profile).sort()).toEqual(
      profiles.map((profile) => profile.id).sort(),
    );
  });

  it('matches only the recorded profile when its markers are there and every profile is not asked', async () => {
    const findings = await inspectFolder(nativeFolder(), null, 'native', { everyProfile: false });
    expect(findings.kind).toBe('managed');
    expect(findings.isAssistantFolder).toBe(true);
    expect(findings.profile?.profile).toBe('native');
    expect(findings.matches.map((match) => match.profile)).toEqual(['native']);
    expect(findings.markers.some((marker) => marker.present)).toBe(true);
  });

  it('matches every profile again when the recorded profile’s markers are all gone', async () => {
    const folder = tempDir();
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'x');
    const findings = await inspectFolder(folder, null, 'native', { everyProfile: false });
    expect(findings.kind).toBe('managed');
    expect(findings.matches).toHaveLength(profiles.length);
  });
});

describe('admitRoot', () => {
  it('opens a managed folder on its recorded profile, matching that profile only', async () => {
    const folder = nativeFolder();
    const admitted = await admitRoot(folder, managedWith('native'));
    expect(admitted.profile.id).toBe('native');
    expect(admitted.findings.matches.map((match) => match.profile)).toEqual(['native']);
  });

  it('detects over every profile a folder Tend does not manage', async () => {
    const admitted = await admitRoot(nativeFolder(), managedWith(null));
    expect(admitted.profile.id).toBe('native');
    expect(admitted.findings.kind).toBe('detected');
    expect(admitted.findings.matches).toHaveLength(profiles.length);
  });
});
