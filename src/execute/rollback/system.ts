/**
 * Running the system's own tools (dpkg-query, systemctl, getent) for facts.
 * A missing tool or a failure is an answer too, never an exception.
 */
import {access, constants} from 'node:fs/promises'
import {join} from 'node:path'
import {loadExeca} from '../lazy-execa.js'

export interface Outcome {
  exitCode: number | undefined
  stdout: string
  stderr: string
  /** The program could not be started at all. */
  missing: boolean
}

export async function probe(file: string, args: string[], env?: Record<string, string>): Promise<Outcome> {
  const execa = await loadExeca()
  const r = await execa(file, args, {reject: false, stdin: 'ignore', env: {LC_ALL: 'C', ...env}, timeout: 120_000})
  const missing = (r as {code?: string}).code === 'ENOENT'
  return {exitCode: r.exitCode, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), missing}
}

export async function which(name: string, path = process.env.PATH ?? ''): Promise<string | null> {
  for (const dir of path.split(':').filter(Boolean)) {
    try {
      await access(join(dir, name), constants.X_OK)
      return join(dir, name)
    } catch {
      // not here
    }
  }
  return null
}
