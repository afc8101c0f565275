/** The processes of a session, read from /proc (for tests that check a run leaves none behind). */
import {readdirSync, readFileSync} from 'node:fs'

/** Every live (not zombie) process in session `sid`. */
export function sessionMembers(sid: number): number[] {
  const out: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      // After the command name (which may hold spaces or parentheses): state, ppid, pgrp, session.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(fields[3]) === sid && fields[0] !== 'Z') out.push(Number(name))
    } catch {
      // Gone meanwhile.
    }
  }
  return out
}

/** Each member of session `sid` as `pid ppid pgrp state command line`: what a test that waited for it to empty reports. */
export function describeSession(sid: number): string {
  return sessionMembers(sid)
    .map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim()
        return `${pid} ppid ${ppid} pgrp ${pgrp} ${state} ${cmdline}`
      } catch {
        return `${pid} (gone)`
      }
    })
    .join('\n')
}
