/**
 * Is a step waiting for input? Output alone cannot tell (a slow download is
 * quiet too): the kernel can. A process of the step's session blocked in
 * read() on the terminal's slave side is waiting for a person. Linux only
 * (/proc); elsewhere nothing is ever found waiting.
 */
import {readdirSync, readFileSync, readlinkSync} from 'node:fs'

/** read(2)'s number, by CPU: x86_64 numbers it 0, the generic table (aarch64, riscv64) 63. */
const READ_SYSCALL: Record<string, number> = {x64: 0, arm64: 63, riscv64: 63, loong64: 63}
/** Where a task sleeps in a terminal read, when its syscall cannot be read. */
const TTY_WAITS = new Set(['n_tty_read', 'wait_woken'])

/** The terminal a process reads from: its fd 0, as the kernel names it (`/dev/pts/3`). */
export function terminalOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/fd/0`)
  } catch {
    return undefined
  }
}

/** True when a process of session `sid` sleeps in read() on `slave`. */
export function waitsForInput(sid: number, slave: string): boolean {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return false
  }
  for (const entry of entries) {
    const c = entry.charCodeAt(0)
    if (c < 48 || c > 57) continue
    if (sessionOf(entry) !== sid) continue
    if (readsFrom(entry, slave)) return true
  }
  return false
}

/** Field 6 of /proc/<pid>/stat (after the command name, which may hold spaces and parentheses). */
function sessionOf(pid: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // state ppid pgrp session
    return fields[0] === 'S' || fields[0] === 'D' ? Number(fields[3]) : undefined
  } catch {
    return undefined
  }
}

function readsFrom(pid: string, slave: string): boolean {
  const number = READ_SYSCALL[process.arch]
  try {
    const [call, fd] = readFileSync(`/proc/${pid}/syscall`, 'latin1').trim().split(' ')
    if (number !== undefined && call !== undefined && /^\d+$/.test(call)) {
      return Number(call) === number && fd !== undefined && readlinkSync(`/proc/${pid}/fd/${Number.parseInt(fd, 16)}`) === slave
    }
  } catch {
    // Not ours to inspect (another user's setuid program): ask where it sleeps instead.
  }
  try {
    const wchan = readFileSync(`/proc/${pid}/wchan`, 'latin1').trim()
    return TTY_WAITS.has(wchan) && readlinkSync(`/proc/${pid}/fd/0`) === slave
  } catch {
    return false
  }
}
