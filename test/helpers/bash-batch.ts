/**
 * Many small scripts through real bash with one process start: each script is
 * a file, and one bash runs them in turn (each in its own `bash` process, so
 * one script's syntax error or exit cannot touch the next), collecting stdout.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const END = '--rb-batch-end--'

/** stdout of each script, run by `bash --noprofile --norc -e -o pipefail` in `cwd`. */
export function runBashBatch(scripts: string[], cwd: string): string[] {
  const files = mkdtempSync(join(tmpdir(), 'rb-batch-'))
  try {
    scripts.forEach((script, i) => writeFileSync(join(files, `${i}.sh`), script))
    const driver = `for i in $(seq 0 ${scripts.length - 1}); do bash --noprofile --norc -e -o pipefail "${files}/$i.sh" 2>/dev/null </dev/null || printf '[exit %s]' "$?"; printf '%s' '${END}'; done`
    const out = execFileSync('bash', ['--noprofile', '--norc', '-c', driver], {cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
    return out.split(END).slice(0, scripts.length)
  } finally {
    rmSync(files, {recursive: true, force: true})
  }
}
