import {
  Archive,
  ArchiveRestore,
  Database,
  LayoutDashboard,
  Network,
  Settings,
  Wrench,
  type LucideIcon,
} from 'lucide-react';
import type { ComponentType } from 'react';
import type { PageId } from '../../store/navigation-slice';
import { BackupsPage } from '../backups/backups-page';
import { DatabasePage } from '../database/database-page';
import { IndexesPage } from '../indexes/indexes-page';
import { MaintenancePage } from '../maintenance/maintenance-page';
import { OverviewPage } from '../overview/overview-page';
import { storesPageTitle } from '../profile/profile-words';
import type { ProfileInfo } from '../../../../src-shared/models/profiles';
import { RestorePage } from '../restore/restore-page';
import { SettingsPage } from '../settings/settings-page';

/** What the sidebar shows for a page, and what the main area renders. */
export interface PageEntry {
  readonly label: string;
  /** The label in the open folder's profile's words, where it differs (Indexes → Stores). */
  readonly labelFor?: (profile: ProfileInfo) => string;
  readonly icon: LucideIcon;
  readonly component: ComponentType;
}

/** Every page of the sidebar, keyed by its id (the order is `pageIds`'). */
export const pages: Readonly<Record<PageId, PageEntry>> = {
  overview: { label: 'Overview', icon: LayoutDashboard, component: OverviewPage },
  backups: { label: 'Backups', icon: Archive, component: BackupsPage },
  restore: { label: 'Restore', icon: ArchiveRestore, component: RestorePage },
  database: { label: 'Database', icon: Database, component: DatabasePage },
  indexes: { label: 'Indexes', labelFor: storesPageTitle, icon: Network, component: IndexesPage },
  maintenance: { label: 'Maintenance', icon: Wrench, component: MaintenancePage },
  settings: { label: 'Settings', icon: Settings, component: SettingsPage },
};
