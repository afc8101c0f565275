/**
 * execa, loaded on first use. Its hundred-odd modules cost about 90 ms of
 * start-up, more than 200 quick steps cost in the run's shell; a run that
 * never starts a process of its own (no editor, no sudo check, no package
 * snapshot) should not pay for it.
 */
import type {execa as Execa} from 'execa'

export async function loadExeca(): Promise<typeof Execa> {
  return (await import('execa')).execa
}
