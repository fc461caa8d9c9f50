/**
 * `npm run test:stack [-- --full] [vitest options]`: the synthesized stack deployed on ministack
 * (vitest project `stack`, test/stack). `--full` adds the larger scenario of test/stack/full
 * (HERALD_STACK_FULL=1). Prints the wall time at the end.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const args = process.argv.slice(2);
const full = args.includes('--full');
const passOn = args.filter((a) => a !== '--full');
const started = Date.now();
const child = spawn(
  process.execPath,
  [join('node_modules', 'vitest', 'vitest.mjs'), 'run', '--project', 'stack', ...passOn],
  { stdio: 'inherit', env: { ...process.env, ...(full ? { HERALD_STACK_FULL: '1' } : {}) } },
);
child.on('close', (code, signal) => {
  const seconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`test:stack${full ? ' --full' : ''}: ${seconds} s wall time\n`);
  process.exit(code ?? (signal ? 1 : 0));
});
