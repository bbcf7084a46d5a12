#!/usr/bin/env node
// `npm run bench`: runs the benchmark suites through tsx, as the `tend` command runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../bench/main.ts');
