#!/usr/bin/env node
// Entry point for `npx compliance-verify`: loads the TypeScript command through tsx.
import { register } from 'tsx/esm/api';

register();
const { verifyCommand } = await import('./verify-command.ts');
process.exitCode = await verifyCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
});
