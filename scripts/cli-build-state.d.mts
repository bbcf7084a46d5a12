/** Types of cli-build-state.mjs, for the tests and the bench (TypeScript). */

/** The bundle's folder, inside the checkout. */
export declare const CLI_OUT_DIR: string;

/** The build's record beside the bundle: when the build started and what it read. */
export declare const BUILD_RECORD: string;

/** What `npm run build:cli` is, for the messages. */
export declare const BUILD_COMMAND: string;

/** Whether the bundle can run, and its entry; else why not. */
export type CliBuildState = { fresh: true; entry: string } | { fresh: false; reason: string };

/** Reads the build record of the bundle in `projectDir` and checks it against the sources. */
export declare function cliBuildState(projectDir: string): CliBuildState;
