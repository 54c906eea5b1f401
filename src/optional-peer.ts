/** The command that installs an optional peer dependency: `dev` for one only tests need. */
export const installCommand = (name: string, dev = false) => `npm install ${dev ? '--save-dev ' : ''}${name}`;

/**
 * Imports an optional peer dependency when it is first needed, so that importing the entry that uses it works
 * without it; a missing one is reported with what to install, any other failure as it is.
 */
export async function importOptionalPeer<T>(name: string, load: () => Promise<T>, neededFor: string, install = installCommand(name)): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: string; message?: string };
    const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(message).includes(`'${name}'`);
    if (missing) throw new Error(`${neededFor} needs ${name}, an optional peer dependency of rxjs-kinesis that this project has not installed: ${install}`);
    throw error;
  }
}
