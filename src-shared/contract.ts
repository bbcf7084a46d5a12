/**
 * The single list of what the UI can ask and hear.
 *
 * Every transport (Electron IPC, the web host, the CLI) is generic over this map; nothing
 * about a channel is written twice. Each domain keeps its channels in `channels/<domain>.ts`;
 * this file only joins them, so a new domain is one import and one spread here.
 */
import type { z } from 'zod';
import { backupChannels, backupEvents } from './channels/backups';
import { coreChannels, coreEvents } from './channels/core';
import { healthChannels } from './channels/health';
import { maintenanceChannels, maintenanceEvents } from './channels/maintenance';
import { postgresChannels, postgresEvents } from './channels/postgres';
import { moveChannels, moveEvents } from './channels/move';
import { profileChannels, profileEvents } from './channels/profiles';
import { repositoryChannels, repositoryEvents } from './channels/repository';
import { restoreChannels, restoreEvents } from './channels/restore';
import { unattendedChannels, unattendedEvents } from './channels/unattended';
import { usageChannels, usageEvents } from './channels/usage';
import { vectorChannels, vectorEvents } from './channels/vectors';

/** Invoke channels, named `domain:verb`, each with its input and output schema. */
export const invokeChannels = {
  ...coreChannels,
  ...backupChannels,
  ...restoreChannels,
  ...usageChannels,
  ...vectorChannels,
  ...maintenanceChannels,
  ...unattendedChannels,
  ...healthChannels,
  ...profileChannels,
  ...postgresChannels,
  ...moveChannels,
  ...repositoryChannels,
} as const;

/** Event channels and their payloads. */
export const eventChannels = {
  ...coreEvents,
  ...backupEvents,
  ...restoreEvents,
  ...usageEvents,
  ...vectorEvents,
  ...maintenanceEvents,
  ...unattendedEvents,
  ...profileEvents,
  ...postgresEvents,
  ...moveEvents,
  ...repositoryEvents,
} as const;

export type Channel = keyof typeof invokeChannels;
export type EventName = keyof typeof eventChannels;

/** What a caller passes to a channel (defaults may be left out). */
export type InputOf<C extends Channel> = z.input<(typeof invokeChannels)[C]['input']>;
/** What a handler receives, after parsing. */
export type ParsedInputOf<C extends Channel> = z.output<(typeof invokeChannels)[C]['input']>;
/** What a channel answers. */
export type OutputOf<C extends Channel> = z.output<(typeof invokeChannels)[C]['output']>;
/** What an event carries. */
export type PayloadOf<E extends EventName> = z.output<(typeof eventChannels)[E]>;

/** Whether a string names an invoke channel. */
export function isChannel(name: string): name is Channel {
  return Object.hasOwn(invokeChannels, name);
}

/** Whether a string names an event channel. */
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(eventChannels, name);
}

/** Every event channel's name, for transports that forward them all. */
export const eventNames = Object.keys(eventChannels) as ReadonlyArray<EventName>;
