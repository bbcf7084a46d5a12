import type { ProfileInfo } from '../../src-shared/models/profiles';

/** A profile description as `root:info` carries it, for tests of what shows it. */
export function profileInfo(change: Partial<ProfileInfo> = {}): ProfileInfo {
  return {
    id: 'native',
    name: 'Local assistant (native)',
    appName: 'the assistant',
    summary: 'The local assistant’s own folder.',
    markers: [],
    stores: [],
    scopes: [
      {
        id: 'collection',
        singular: 'collection',
        plural: 'collections',
        description: 'A collection of documents.',
      },
    ],
    runningApp: { lockFiles: [], processNames: [] },
    dataLocation: [],
    hasDemo: true,
    ...change,
  };
}
