import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpsError } from '#ops/cli/errors';

/** The editor used when neither VISUAL nor EDITOR is set. */
export const DEFAULT_EDITOR = 'vi';

/** What the operator saved, and the file it is in (kept, so a refused edit is not lost). */
export interface EditorResult {
  text: string;
  file: string;
}

/**
 * Writes `text` to a new private temporary file named `name`, runs the editor on it (a shell
 * command line such as `code --wait`, with the file as its last argument, on this terminal) and
 * reads the file back when the editor exits.
 * @throws OpsError when the editor cannot be started or exits with a failure (nothing is stored).
 */
export const editInEditor = async (
  editor: string | undefined,
  text: string,
  name: string,
): Promise<EditorResult> => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-edit-'));
  const file = join(dir, name);
  await writeFile(file, text, { mode: 0o600 });
  const command = editor?.trim() || DEFAULT_EDITOR;
  const code = await new Promise<number | null>((resolve, reject) => {
    // sh -c runs the command line as the shell would ("code --wait"); the file is "$1", never parsed.
    const child = spawn('/bin/sh', ['-c', `${command} "$1"`, 'herald-edit', file], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  }).catch((cause: unknown) => {
    throw new OpsError(`cannot start the editor "${command}"`, { cause });
  });
  if (code !== 0)
    throw new OpsError(`the editor "${command}" exited with ${code ?? 'a signal'}; nothing was stored`);
  return { text: await readFile(file, 'utf8'), file };
};
