/**
 * The one seam between the engine and a machine: the executor runs steps
 * through it, rollback snapshots and restores through it, and platform
 * detection reads /etc/os-release through it. `local` is this process's
 * machine; `ssh` is another one, through the system OpenSSH client.
 */
import type {ScriptOptions, ScriptResult} from '../process.js'
import type {Destination} from './destination.js'

export interface ExecResult {
  code: number | null
  stdout: Buffer
  stderr: string
}

export interface Target {
  kind: 'local' | 'ssh'
  role: string
  /** `this machine` or `root@127.0.0.2:2222`. */
  label: string
  destination?: Destination
  /** The run's work folder on that machine (the steps' working directory). */
  workDir(runId: string, localWorkDir: string): string
  /** A step's script, streamed, interruptible, never in argv. */
  runStep(opts: ScriptOptions & {runId: string; tag: string}): Promise<ScriptResult>
  /** A short command of the engine's own (no values of the page), with optional bytes on its stdin. */
  exec(script: string, input?: Buffer): Promise<ExecResult>
  close(): Promise<void>
}
