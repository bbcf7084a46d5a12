#!/usr/bin/env node
// The `tend` command: runs the TypeScript CLI through tsx, so no build step stands between
// `npm install` and a working command.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/main.ts');
