/**
 * The app's Redis, as Tend lists it: a cache (sessions and cached answers) that the seed says
 * may be cleared on any update, so it is shown beside the database and never backed up;
 * restoring it would bring back expired sessions.
 */
export interface CacheStoreDescriptor {
  kind: 'redis';
  /** Where it runs, as the person wrote it (a URL without password, or a host:port). */
  location: string | null;
  role: 'cache';
  backedUp: false;
  /** Why it is left out, in the person's words. */
  reason: string;
}

/** The descriptor of the app's Redis; `location` has any password taken out. */
export function describeRedisCache(location: string | null = null): CacheStoreDescriptor {
  return {
    kind: 'redis',
    location: location ? location.replace(/(\/\/[^:/@\s]*):[^@\s]*@/, '$1:***@') : null,
    role: 'cache',
    backedUp: false,
    reason:
      'Redis holds sessions and cached answers, which are temporary: after a restore people ' +
      'sign in again and the cache refills. Tend lists it and never backs it up.',
  };
}
