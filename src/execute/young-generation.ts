/**
 * A run streams its steps' output through short-lived strings, block after
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

export function holdYoungGeneration(): void {
  setFlagsFromString('--semi-space-growth-factor=1')
}
