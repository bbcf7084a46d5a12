/**
 * The profiles' channels: which kinds of data folder Tend knows, and which one a folder is.
 */
import { z } from 'zod';
import { pathField } from '../models/paths';
import {
  FolderSurveySchema,
  ProfileDetectionSchema,
  ProfileIdSchema,
  ProfileInfoSchema,
  LastStoreCheckSchema,
} from '../models/profiles';
import { JobRecordSchema } from '../models/jobs';
import { empty } from './common';

/** The profiles' invoke channels. */
export const profileChannels = {
  /** Every profile Tend knows: its markers, stores, scopes, running app and data location. */
  'profiles:list': {
    input: empty,
    output: z.object({ profiles: z.array(ProfileInfoSchema).readonly() }),
  },
  /**
   * Which profile a folder is, by its markers alone (reads only; a folder that can never be a
   * data root is not looked into: nothing is detected and the reason says why).
   */
  'profiles:detect': {
    input: z.object({ path: pathField('root') }).strict(),
    output: ProfileDetectionSchema,
  },
  /**
   * What a folder holds read as a profile, the detected one unless `profile` names another:
   * its stores with their sizes and its scopes with their counts, shown before the person
   * adopts it. Reads only; a folder that can never be a root is ROOT_NOT_ALLOWED, a folder no
   * profile is detected in and none named is read as nothing (no stores, the reason why).
   */
  'profiles:survey': {
    input: z.object({ path: pathField('root'), profile: ProfileIdSchema.optional() }).strict(),
    output: FolderSurveySchema,
  },
  /**
   * Starts a job (kind `store-check`) that checks every store of the open folder (each store
   * kind's validation: orphans, truncated files, missing tables or blobs) and, for each damaged
   * one, finds the newest backup that holds it. Its progress counts instances and bytes read;
   * its result is a StoreChecks. A check already running is returned instead of a second one.
   */
  'profiles:check': {
    input: empty,
    output: JobRecordSchema,
  },
  /**
   * The newest store check of the open folder, from the catalog: its job (running, or how it
   * ended) and the findings of the newest one that finished (null when none has).
   */
  'profiles:last-check': {
    input: empty,
    output: LastStoreCheckSchema,
  },
} as const;

/** The profiles' events: none. */
export const profileEvents = {} as const;
