/**
 * The profiles' channels: which kinds of data folder Tend knows, and which one a folder is.
 */
import { z } from 'zod';
import { pathField } from '../models/paths';
import { ProfileDetectionSchema, ProfileInfoSchema } from '../models/profiles';
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
} as const;

/** The profiles' events: none. */
export const profileEvents = {} as const;
