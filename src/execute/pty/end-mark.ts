/**
 * The end of a step's output on a pseudo-terminal, marked in the stream.
 *
 * Linux drops what a terminal still holds when the last process that has it
 * open exits: a read of the master side then fails (EIO) with up to a few
 * KiB unread (a fast installer's last lines, its exit message). node-pty
 * reports the exit once that read fails, or destroys the stream 200 ms after
 * the exit when the runner was too busy to read (a loaded machine). Either
 * way the tail is gone, and no wait after the exit can bring it back.
 *
 * So the step's shell does not exit on its own: it runs the script in a
 * subshell, then prints a mark no program prints by chance (an APC string,
 * which terminals ignore, holding a random nonce) and waits on a FIFO. The runner
 * has read everything before the mark once it sees it; it cuts the mark out
 * of the stream and answers on the FIFO, and only then does the shell exit.
 * A shell killed by a signal prints no mark: then the runner reads what it can.
 */

import {READ_SCRIPT, RUN_SCRIPT} from '../process.js'
import {ERR_TRAP} from '../shell-host.js'

/** The escape that opens an APC string and the one that ends it (ST). */
const APC = '\x1b_'
const ST = '\x1b\\'

/** How long the shell waits for the runner's answer before it exits anyway (a runner that cannot keep up loses the tail, no more). */
const ANSWER_WAIT_S = 30

/**
 * Bash code that runs the script read from fd 3 (as BOOTSTRAP in process.ts
 * does) in a subshell with the ERR trap, then prints the mark from
 * `$RUNBOOK_END` and waits for a line on fd 4 before it exits with the
 * script's status. The script never sees fd 4 or the nonce; its own `exit`,
 * EXIT trap and redirections stay inside the subshell. All on one line:
 * LINENO in the eval counts on from it (RUNBOOK_LINE0).
 */
export function markedBootstrap(): string {
  const script = `( exec 4<&-; unset RUNBOOK_END; set -e; ${ERR_TRAP}; ${RUN_SCRIPT} )`
  return [
    'RUNBOOK_LINE0=$LINENO',
    READ_SCRIPT,
    'set +e',
    script,
    'RUNBOOK_X=$?',
    // printf's \033 is ESC and \\ a backslash: APC, the nonce, ST.
    `printf '\\033_runbook-end-%s\\033\\\\' "$RUNBOOK_END"`,
    `read -r -t ${ANSWER_WAIT_S} _ <&4`,
    'exit $RUNBOOK_X',
  ].join('; ')
}

/** Cuts the mark out of the step's output as it arrives, holding back a chunk's tail that may be the mark's start. */
export class EndMark {
  readonly text: string
  private held = ''
  private found = false

  /** `nonce`: the shell's `$RUNBOOK_END`. */
  constructor(readonly nonce: string) {
    this.text = `${APC}runbook-end-${nonce}${ST}`
  }

  /** The mark went by: everything the script printed has been taken. */
  get seen(): boolean {
    return this.found
  }

  /** The chunk without the mark (and without a tail held back for the next chunk). */
  take(data: string): string {
    if (this.found) return data
    const all = this.held + data
    const at = all.indexOf(this.text)
    if (at !== -1) {
      this.found = true
      this.held = ''
      return all.slice(0, at) + all.slice(at + this.text.length)
    }
    // The longest tail that begins the mark: it begins with an ESC, within the mark's length of the end.
    let keep = 0
    for (let i = all.indexOf('\x1b', Math.max(0, all.length - this.text.length + 1)); i !== -1; i = all.indexOf('\x1b', i + 1)) {
      if (this.text.startsWith(all.slice(i))) {
        keep = all.length - i
        break
      }
    }
    this.held = all.slice(all.length - keep)
    return keep === 0 ? all : all.slice(0, all.length - keep)
  }

  /** What was held back, at the end of the output. */
  flush(): string {
    const held = this.held
    this.held = ''
    return held
  }
}
