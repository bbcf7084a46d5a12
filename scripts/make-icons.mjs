#!/usr/bin/env node
/**
 * Draws Tend's icons from the SVGs in assets/ into the PNGs Electron and electron-builder use:
 * icon.png (1024 px; electron-builder derives .icns and .ico from it) and the tray icons
 * tray-<idle|running|failed>.png (16 px) with @2x (32 px). Run it after changing an SVG:
 * `node scripts/make-icons.mjs`. Uses Playwright's Chromium (Debian's where it is installed).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const assets = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'assets');
const systemChromium = '/usr/bin/chromium';
const browser = await chromium.launch(
  fs.existsSync(systemChromium) ? { executablePath: systemChromium } : {},
);

async function render(svgFile, size, outFile) {
  const svg = fs.readFileSync(path.join(assets, svgFile), 'utf8');
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">` +
      svg.replace('<svg ', `<svg width="${size}" height="${size}" `) +
      `</body></html>`,
  );
  await page.screenshot({ path: path.join(assets, outFile), omitBackground: true });
  await page.close();
}

await render('icon.svg', 1024, 'icon.png');
await render('icon.svg', 256, 'icon-256.png');
for (const state of ['idle', 'running', 'failed']) {
  await render(`tray-${state}.svg`, 16, `tray-${state}.png`);
  await render(`tray-${state}.svg`, 32, `tray-${state}@2x.png`);
}
await browser.close();
process.stderr.write('Icons written to assets/.\n');
