/**
 * A run streams its steps' output through short-lived objects, block after
 * block, for as long as a step prints. V8 doubles its young generation each
 * time the bytes that outlived its collections add up to its size; over a
 * flood a few bytes per collection add up, and by 1 GiB of output it had grown
 * to its ceiling (2 × 16 MB), a third of the runner's memory, holding nothing
 * worth keeping. From the run's start it keeps the size it has: V8 reads this
 * flag at each growth, so it takes effect mid-process (the shell parser sets
 * its flags the same way), and collections stay cheap since little survives
 * them. The process is a one-run CLI, so the flag's reach (the whole process)
 * is the run's.
 */
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
}

/**
 * The output itself lives outside the JavaScript heap: each read of a pipe
 * is a 64 KiB buffer, freed when the collector finds it dead. The flood path
 * keeps its bytes as bytes and makes almost no garbage on the heap, so young
 * collections came seldom, and the dead reads piled up to V8's 64 MB limit
 * for outside memory before anything freed them: the runner's memory doubled.
 * A young collection every few MiB of output frees them (it costs well under
 * a millisecond: nearly nothing on the heap is alive).
 */
const COLLECT_EVERY = 8 * 1024 * 1024

let collect: ((options: {type: 'minor'}) => void) | null | undefined
let passed = 0

/** Counts `bytes` of output gone through; every COLLECT_EVERY, a young collection. */
export function outputPassed(bytes: number): void {
  passed += bytes
  if (passed < COLLECT_EVERY) return
  passed = 0
  if (collect === undefined) {
    try {
      // The collector's function exists only in contexts made after the flag is set.
      setFlagsFromString('--expose-gc')
      collect = runInNewContext('gc') as typeof collect
    } catch {
      collect = null
    }
  }
  collect?.({type: 'minor'})
}
