/**
 * The facts a profile needs about another system's data folder, as plain data: where the folder
 * is on each platform and how the app is told to move it, and what each path in it is. Every
 * entry names the file of the system's own source (or documentation) it comes from.
 */
import type { Category } from '../../../../src-shared/models/categories';
import type { StoreKindId } from '../store-kind';

/** Where an app keeps its folder by default on one platform (`~` is the home folder). */
export interface DefaultLocation {
  readonly platform: 'linux' | 'darwin' | 'win32' | 'docker';
  readonly path: string;
  readonly source: string;
}

/** How the app is told where its data lives. */
export interface DataLocation {
  /** The environment variable that moves the folder, if any. */
  readonly env: string | null;
  readonly defaults: ReadonlyArray<DefaultLocation>;
  /** A settings file that names the folder, if the app keeps one. */
  readonly settingsFile: {
    readonly path: string;
    readonly key: string;
    readonly source: string;
  } | null;
}

/** One path inside the folder: what it is, its category, and its store kind if it is one. */
export interface LayoutPath {
  /** Relative to the data folder, `/` separators; `*` stands for one name. */
  readonly path: string;
  readonly what: string;
  readonly category: Category;
  readonly store: StoreKindId | null;
  readonly source: string;
}

/** A database table a profile reads, with the columns it relies on. */
export interface LayoutTable {
  readonly database: string;
  readonly table: string;
  readonly columns: ReadonlyArray<string>;
  readonly why: string;
  readonly source: string;
}

/** Everything Tend knows of one system's data folder. */
export interface SystemLayout {
  readonly id: string;
  readonly name: string;
  /** The repository the facts were read from, and the snapshot. */
  readonly sourceRepository: string;
  readonly location: DataLocation;
  readonly paths: ReadonlyArray<LayoutPath>;
  readonly tables: ReadonlyArray<LayoutTable>;
}
