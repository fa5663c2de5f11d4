#!/usr/bin/env node
// Runs the compiled build (`npm run build`, also run by `npm install` through `prepare`); the
// sources run through tsx only in development (`npm run dev`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(main)) {
  console.error('briefbot: not built yet: run npm run build');
  process.exit(1);
}
await import(main.href);
