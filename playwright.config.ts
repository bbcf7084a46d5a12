/**
 * End-to-end specs: the real renderer in Debian's Chromium through `tend serve` on generated
 * demo roots, and the real desktop app through Playwright's `_electron` where Electron's binary
 * exists (it says it skipped where it does not).
 */
import fs from 'node:fs';
import { defineConfig } from '@playwright/test';

const systemChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'e2e-output/test-results',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  // Two workers on the 2-core CI machine: each worker has its own state folder and demo host
  // (e2e/support/tend.ts), every host listens on a port of its own, and the specs assert no
  // timings, so two spec files run side by side (the tests of one file stay in order).
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { outputFolder: 'e2e-output/report', open: 'never' }]],
  use: {
    viewport: { width: 1280, height: 860 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      name: 'browser',
      testIgnore: /\.electron\.spec\.ts$/,
      use: {
        browserName: 'chromium',
        launchOptions: fs.existsSync(systemChromium) ? { executablePath: systemChromium } : {},
      },
    },
    { name: 'electron', testMatch: /\.electron\.spec\.ts$/ },
  ],
});
