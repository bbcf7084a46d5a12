/**
 * The figures people watch (issue 13 item 5): what the Overview's Health panel reads. The
 * daily analytics chart beside it reads `analytics:daily` (channels/maintenance.ts).
 */
import { HealthFiguresSchema } from '../models/health';
import { empty } from './common';

/** Invoke channels of the health figures. */
export const healthChannels = {
  /**
   * Backup success over the last 30 days (missed runs count as failures), the last verified
   * backup and its age, and growth per category this month; read from the catalog.
   */
  'health:figures': { input: empty, output: HealthFiguresSchema },
} as const;
