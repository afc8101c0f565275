/** Spawning the built CLI (dist/, made by `npm test`'s build step), as a user would. */
import {spawnSync, type SpawnSyncOptions} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {repoRoot} from './shared.js'

export const cliPath = resolve(repoRoot, 'dist/cli/main.js')

/** The graph cache of these runs, apart from the user's. */
const cacheHome = mkdtempSync(join(tmpdir(), 'runbook-cache-'))

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: SpawnSyncOptions & {env?: NodeJS.ProcessEnv} = {}): CliResult {
  const result = spawnSync(process.execPath, [...(options.execArgv as string[] | undefined ?? []), cliPath, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    ...options,
    env: {...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome, ...options.env},
  })
  return {code: result.status, stdout: String(result.stdout), stderr: String(result.stderr)}
}
