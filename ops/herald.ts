/**
 * `herald`: the operator's CLI of release-herald (see the Operating section of README.md). Run it with
 * `npx herald <command>` or `npm run herald -- <command>`.
 */
import { runHerald } from './cli/runHerald.ts';

// A reader that stops early (`herald status | head`) closes the pipe: end quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit();
    throw err;
  });
}

process.exitCode = await runHerald(process.argv.slice(2));
