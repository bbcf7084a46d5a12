import type { RootInfo } from '../../src-shared/models/root';
import { profileInfo } from './profile-info';

/** A root's info as `root:info` answers it (a native folder, no backup yet); tests spread what they change. */
export function rootInfo(path = '/data/root'): RootInfo {
  return {
    path,
    profile: profileInfo(),
    stateDir: '/state/roots/0123456789abcdef',
    movedFrom: null,
    hasAssistantDb: true,
    hasLegacyData: false,
    disk: { freeBytes: 5_000, totalBytes: 10_000 },
    lastBackup: null,
  };
}
