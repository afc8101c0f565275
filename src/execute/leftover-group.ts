/**
 * A step's process group left behind by a runner that was killed (SIGKILL, an
 * OOM kill, a crashed machine's container): the state records the group and
 * its session when the step starts, and a resume stops what is left of it
 * before the step runs again, so that two copies never run side by side.
 *
 * A group is matched by its id AND its session (the run's shell leads its own
 * session): a recycled pid that now leads someone else's group is not ours.
 */
import {readdirSync, readFileSync} from 'node:fs'

export interface StepGroup {
  pgid: number
  sid: number
}

/** pid, state, process group and session of a process, from /proc/<pid>/stat. */
function stat(pid: number | 'self'): {pid: number; state: string; pgrp: number; session: number} | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name is in parentheses and may hold spaces or parentheses itself.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return {pid: Number(text.slice(0, text.indexOf(' '))), state: rest[0]!, pgrp: Number(rest[2]), session: Number(rest[3])}
  } catch {
    return undefined
  }
}

/** The group a step process leads, with its session; undefined off Linux or when it is already gone. */
export function groupOf(pid: number): StepGroup | undefined {
  const s = stat(pid)
  return s ? {pgid: s.pgrp, sid: s.session} : undefined
}

/** The live (not zombie) processes of the group, in its session. */
export function groupMembers(group: StepGroup): number[] {
  let pids: string[]
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {
    return []
  }
  const out: number[] = []
  for (const p of pids) {
    const s = stat(Number(p))
    if (s && s.pgrp === group.pgid && s.session === group.sid && s.state !== 'Z' && s.state !== 'X') out.push(s.pid)
  }
  return out
}

function signal(group: StepGroup, sig: NodeJS.Signals): void {
  try {
    process.kill(-group.pgid, sig)
  } catch {
    // Gone between the look and the signal.
  }
}

/**
 * Stops what is left of a step's group: SIGTERM, then SIGKILL after `graceMs`.
 * Returns the processes it found (none: nothing was left).
 */
export async function stopLeftoverGroup(group: StepGroup, graceMs = 5000): Promise<number[]> {
  const found = groupMembers(group)
  if (found.length === 0) return []
  signal(group, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (groupMembers(group).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  if (groupMembers(group).length > 0) signal(group, 'SIGKILL')
  while (groupMembers(group).length > 0) await new Promise((r) => setTimeout(r, 50))
  return found
}
