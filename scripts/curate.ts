/**
 * npm run curate -- <file> [--url <original URL>] [--slug a[,b]] [--tags a,b] [--out content/] [--dry-run]
 * npm run curate -- --check <dir>
 *
 * Turns a saved web page or a raw text scrape into clean items of content/ (one per piece
 * found) and prints a report on stderr. Bad input: one line on stderr, exit 1, nothing written.
 * With --check, prints the quality table of the fixtures in <dir> (scripts/curate/check.ts).
 */
import { runCli } from "./curate/cli.ts";

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: new Date(),
});
