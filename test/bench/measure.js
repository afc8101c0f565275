// Shared by the benchmarks: wall time of a command, medians, and the result line.
import {spawnSync} from 'node:child_process'

export function wallMs(command, args, options = {}) {
  const start = process.hrtime.bigint()
  const result = spawnSync(command, args, {stdio: ['ignore', 'ignore', 'pipe'], ...options})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${String(result.stderr).slice(0, 500)}`)
  return ms
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Alternate ours and the baseline so that machine noise hits both alike. */
export function alternate(rounds, ours, baseline, warmup = 2) {
  for (let i = 0; i < warmup; i++) {
    ours()
    baseline()
  }
  const a = []
  const b = []
  for (let i = 0; i < rounds; i++) {
    a.push(ours())
    b.push(baseline())
  }
  return {ours: median(a), baseline: median(b)}
}

/**
 * One printed line: our figure, the baseline measured in the same run, the
 * ratio and the verdict. A result may carry `extra` (text or an object whose
 * `pass` overrides the ratio test, e.g. a memory limit) and no target at all.
 */
/**
 * Async rounds that alternate which side goes first, so that neither always
 * runs on a cooler machine; `onRound` sees each pair as it is measured.
 */
export async function alternateRounds(rounds, ours, baseline, onRound = () => {}) {
  const a = []
  const b = []
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      a.push(await ours())
      b.push(await baseline())
    } else {
      b.push(await baseline())
      a.push(await ours())
    }
    onRound(i, a.at(-1), b.at(-1))
  }
  return {a, b}
}

export function line(result) {
  const fmt = (n) => (n >= 100 ? n.toFixed(0) : n.toFixed(1))
  const extra = typeof result.extra === 'object' && result.extra !== null ? result.extra : {}
  const pass = typeof extra.pass === 'boolean' ? extra.pass : result.target == null ? undefined : result.ratio <= result.target
  const verdict = pass === undefined ? 'no target (informational)' : pass ? 'ok' : 'OVER TARGET'
  const baselineName = result.baselineName ?? extra.baselineIs ?? 'baseline'
  const target = result.target == null ? '' : extra.targetOf ? `target ${result.target}: ${extra.targetOf}` : `target ≤ ${result.target}×`
  const details = typeof result.extra === 'string'
    ? result.extra
    : Object.entries(extra).filter(([key]) => !['pass', 'targetOf', 'baselineIs'].includes(key)).map(([key, value]) => `${key} ${value}`).join(', ')
  return `${result.name}: ours ${fmt(result.ours)} ${result.unit}, baseline ${fmt(result.baseline)} ${result.unit} (${baselineName}), ratio ${result.ratio.toFixed(2)}×${target ? ` (${target})` : ''} — ${verdict}${details ? ` [${details}]` : ''}`
}
