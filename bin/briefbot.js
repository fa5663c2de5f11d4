#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx briefbot` never runs a stale build.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
