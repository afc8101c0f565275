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
