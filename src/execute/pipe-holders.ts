/**
 * Does a process left behind by a step still hold the shell's output pipes?
 * (`server &` in a guide.) Read from /proc: the processes of the step's group,
 * and whether any of their descriptors is one of those pipes. Only asked when
 * the group outlived the step, so the scan of /proc is rare.
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'

/** The process group of `pid`, from /proc/<pid>/stat (the name may hold spaces and parentheses). */
function groupOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[2])
  } catch {
    return undefined
  }
}

/** The file an fd link leads to, as device and inode (a pipe's inode is unique on its pseudo-device). */
function inode(path: string): string | undefined {
  try {
    const st = statSync(path)
    return `${st.dev}:${st.ino}`
  } catch {
    return undefined
  }
}

/** True when a process of group `pgid` has `owner`'s fd 1 or 2 open. */
export function groupHoldsOutput(pgid: number, owner: number): boolean {
  const pipes = new Set([inode(`/proc/${owner}/fd/1`), inode(`/proc/${owner}/fd/2`)].filter((i): i is string => i !== undefined))
  if (pipes.size === 0) return false
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    // No /proc: assume the worst, the caller then waits for the output to go quiet.
    return true
  }
  for (const pid of pids) {
    if (groupOf(pid) !== pgid) continue
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      const ino = inode(`/proc/${pid}/fd/${fd}`)
      if (ino !== undefined && pipes.has(ino)) return true
    }
  }
  return false
}
