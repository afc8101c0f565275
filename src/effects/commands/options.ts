/**
 * The options of programs that run another command or a script, as getopt
 * reads them: which take a value. Shared by the effect rules (what the
 * command does) and by placeholder quoting (which words a second shell reads).
 */
import type {OptSpec} from './getopt.js'

/** sudo(8); `-i`/`-s` (`--login`/`--shell`) hand the command to a shell. */
export const SUDO_OPTIONS: OptSpec = {
  short: 'ugpCDrRtUTh',
  long: ['user', 'group', 'prompt', 'close-from', 'chdir', 'role', 'type', 'other-user', 'command-timeout', 'host', 'chroot'],
  stopAtOperand: true,
}

/** su and runuser (util-linux): `-c`/`--command` is the script. */
export const SU_OPTIONS: OptSpec = {short: 'cgGsuw', long: ['command', 'group', 'supp-group', 'shell', 'user', 'whitelist-environment'], alias: {command: 'c'}}

/** script(1): `-c`/`--command` is the script. */
export const SCRIPT_OPTIONS: OptSpec = {short: 'cBEIOT', long: ['command', 'log-in', 'log-out', 'log-io', 'log-timing', 'echo', 'logging-format'], alias: {command: 'c'}}

/** flock(1): options, the lock file, then `-c SCRIPT` or a command. */
export const FLOCK_OPTIONS: OptSpec = {short: 'wE', long: ['timeout', 'wait', 'conflict-exit-code'], stopAtOperand: true}

/** procps-ng watch(1): `-x`/`--exec` runs the command without a shell. */
export const WATCH_OPTIONS: OptSpec = {short: 'nq', long: ['interval', 'equexit'], stopAtOperand: true}
