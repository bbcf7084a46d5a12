// `node --import <this file> …`: writes the URL of every module the process resolves through
// the ES module loader, one a line, to the file named by $TEND_MODULE_LOG. The CLI's startup
// tests read it to see what `tend --help` loads.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url, { data: { file: process.env.TEND_MODULE_LOG } });
