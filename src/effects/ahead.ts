/**
 * Effects inferred on another core while the page is parsed. On a first
 * dry-run the main thread parses the page, then would wait for the shell
 * parser to start cold (a Go WebAssembly runtime, the effect rules compiled
 * on first use). A worker started before the parse loads and warms all that
 * on the other core; the commands go to it once the plan is known.
 *
 * Only an accelerator: where the worker cannot help (one core, no built
 * worker beside this module as when running from the sources, any failure
 * in it) `infer` answers undefined and the caller infers in process, with the
 * same results and errors as before.
 */
import {existsSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import type {Effect} from './effect-types.js'

type Env = {HOME?: string; USER?: string}

export interface InferenceAhead {
  /** The effects of each script, or undefined when the worker could not give them. */
  infer(scripts: string[], env: Env): Promise<Effect[][] | undefined>
  /** Ends the worker (it never keeps the process alive, but holds a core while it warms). */
  stop(): void
}

/** What the worker answers to a list of scripts. */
export type AheadReply = {id: number} & ({effects: Effect[][]} | {failed: string})

export function inferAhead(): InferenceAhead | undefined {
  // On one core the worker would only take turns with the parse it is meant to overlap.
  if (availableParallelism() < 2) return undefined
  const file = new URL('./effects-worker.js', import.meta.url)
  if (!existsSync(fileURLToPath(file))) return undefined
  let worker: Worker
  try {
    worker = new Worker(file)
  } catch {
    return undefined
  }
  worker.unref()
  // Ended (an error, or `stop`): every question from then on is answered in process.
  const ended = new Promise<undefined>((resolve) => {
    worker.once('error', () => resolve(undefined))
    worker.once('exit', () => resolve(undefined))
  })
  let asked = 0
  return {
    infer(scripts, env) {
      const id = ++asked
      const reply = new Promise<Effect[][] | undefined>((resolve) => {
        const answered = (answer: AheadReply) => {
          if (answer.id !== id) return
          worker.off('message', answered)
          resolve('effects' in answer && answer.effects.length === scripts.length ? answer.effects : undefined)
        }
        worker.on('message', answered)
      })
      worker.postMessage({id, scripts, env})
      return Promise.race([reply, ended])
    },
    stop() {
      void worker.terminate()
    },
  }
}
