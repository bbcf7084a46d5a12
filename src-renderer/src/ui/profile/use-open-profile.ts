import type { ProfileInfo } from '../../../../src-shared/models/profiles';
import { useTend } from '../../store/use-tend';

/** The open folder's profile, or null while no folder is open. */
export function useOpenProfile(): ProfileInfo | null {
  return useTend((state) => (state.root.status === 'open' ? state.root.info.profile : null));
}
