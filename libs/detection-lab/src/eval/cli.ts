#!/usr/bin/env node
import { CommanderError } from 'commander';
import { runEvalCommand } from './eval-command';

/**
 * `npm run eval -- --dataset <dir> [--detector <spec…>] [--json <out>]`
 * `npm run eval -- --generate-synthetic <dir> [--seed 42] [--days 120]`
 * `npm run eval -- --protocol [--nab <dir>|off] [--detector <preset…>] [--json <out>] [--write-doc docs/detection.md]`
 *   (`npm run eval:tables` regenerates the tables of docs/detection.md)
 */
try {
  runEvalCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed the usage problem (or the help / version text).
    process.exitCode = error.exitCode;
  } else {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
