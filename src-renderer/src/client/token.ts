import { TOKEN_PARAM } from '../../../src-shared/security';

/** The sessionStorage key that keeps the web host's token across reloads of the tab. */
export const TOKEN_STORAGE_KEY = 'tend-token';

/** The parts of the browser the token handling touches; tests pass plain objects. */
export interface TokenEnvironment {
  readonly location: { readonly href: string };
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  readonly history: Pick<History, 'replaceState' | 'state'>;
}

/**
 * Takes the web host's token from the address, keeps it for this tab, and hides it.
 *
 * The token is a secret for this start of `tend serve`: it stays out of the address bar (and so
 * out of screenshots, bookmarks and history) but survives a reload through sessionStorage.
 */
export function takeToken(env: TokenEnvironment): string | null {
  const url = new URL(env.location.href);
  const fromUrl = url.searchParams.get(TOKEN_PARAM);
  if (fromUrl) {
    env.storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    url.searchParams.delete(TOKEN_PARAM);
    env.history.replaceState(env.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  return env.storage.getItem(TOKEN_STORAGE_KEY);
}
