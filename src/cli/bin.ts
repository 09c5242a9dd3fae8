#!/usr/bin/env node
import { main } from './main.js';

// A closed pipe (exrelay … | head) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const exitCode = await main(process.argv.slice(2));
// Exit as soon as the output is flushed: tearing down a large organisation's heap takes longer than the analysis.
process.stdout.write('', () => process.exit(exitCode));
