/** This machine: steps go to the run's shell (process.ts), engine commands to a bash of their own. */
import {runScript, type ScriptOptions, type ScriptResult} from '../process.js'
import {loadExeca} from '../lazy-execa.js'
import type {ExecResult, Target} from './types.js'

export class LocalTarget implements Target {
  readonly kind = 'local' as const
  readonly label = 'this machine'

  constructor(readonly role: string) {}

  workDir(_runId: string, localWorkDir: string): string {
    return localWorkDir
  }

  runStep(opts: ScriptOptions): Promise<ScriptResult> {
    return runScript(opts)
  }

  async exec(script: string, input?: Buffer): Promise<ExecResult> {
    const execa = await loadExeca()
    const r = await execa('bash', ['--noprofile', '--norc', '-c', script], {input: input ?? '', reject: false, encoding: 'buffer'})
    return {code: r.exitCode ?? null, stdout: Buffer.from(r.stdout as Uint8Array), stderr: Buffer.from(r.stderr as Uint8Array).toString('utf8')}
  }

  async close(): Promise<void> {}
}
