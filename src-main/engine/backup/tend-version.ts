/**
 * Tend's version, written into every manifest.
 *
 * Kept as a constant rather than read from package.json at run time, which moves when the app
 * is packaged; a test holds it equal to package.json's version.
 */
export const TEND_VERSION = '0.1.0';
