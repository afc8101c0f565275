#!/usr/bin/env node
/**
 * Executor benchmarks: the built CLI (dist/) against plain bash doing the same
 * work, both measured in the same run and compared as a ratio. Not part of the
 * test suite (nothing here asserts a timing); build first:
 *
 *   npx tsc -p tsconfig.json && node test/bench/executor.js
 *
 * 1. 200 steps of `true`: `runbook run` (fresh state dir, checkpoints included)
 *    against `bash -c true` 200 times from a bash loop. Ratio = our wall time /
 *    baseline wall time (medians), target ≤ 1.2× (the issue's, for a quiet
 *    machine; ≤ 1.5× is what it allows under load, so the line shows the
 *    load average the rounds ran at). Beside it, the figure's floor here:
 *    (`node -e 0` + the loop) / the loop, which no runner in Node can beat.
 * 2. One step printing 1 GiB in 100-character lines, `--no-tui` with stdout to
 *    /dev/null, against the same pipeline into `tee <log> >/dev/null`. Reports
 *    the throughput ratio (ours / baseline) and the runner's peak RSS (target
 *    ≤ 90 MB) against the target ≥ 0.85× for throughput.
 *
 * Environment: BENCH_ROUNDS (steps benchmark, default 5), BENCH_FLOOD_ROUNDS
 * (1 GiB benchmark, default 2), BENCH_ONLY=steps|flood to run one of them,
 * BENCH_RSS=proc to poll /proc for the peak RSS even where GNU time is.
 */
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {alternateRounds, median} from './measure.js'

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const cli = join(repo, 'dist', 'cli', 'main.js')

const STEPS = 200
const FLOOD_BYTES = 1024 * 1024 * 1024
const FLOOD = `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' 'a' | fold -w 100`
const TIME = '/usr/bin/time'


const round2 = (x) => (x === null || x === undefined ? x : Math.round(x * 100) / 100)

/** Is GNU time there to report the peak RSS (`command -v /usr/bin/time`)? */
async function haveGnuTime() {
  const r = await exec('bash', ['-c', `command -v ${TIME} >/dev/null && ${TIME} -f %M true 2>/dev/null >/dev/null`])
  return r.code === 0
}

/**
 * Runs a command to its end. `stdout`: 'ignore' (→ /dev/null), or 'pipe' to
 * capture it. `rss`: also the peak RSS in KiB, through GNU time (the maximum
 * over the process and the children it waited for; for the runner that is the
 * node process) or, without it, by polling VmHWM in /proc/<pid>/status.
 */
async function exec(file, args, opts = {}) {
  const devnull = openSync('/dev/null', 'w')
  try {
    let rssFile
    let argv = [file, ...args]
    if (opts.rss === 'time') {
      rssFile = join(opts.tmp, `rss-${process.hrtime.bigint()}`)
      argv = [TIME, '-f', '%M', '-o', rssFile, file, ...args]
    }
    const started = performance.now()
    const child = spawn(argv[0], argv.slice(1), {
      cwd: opts.cwd,
      stdio: ['ignore', opts.stdout === 'pipe' ? 'pipe' : devnull, 'pipe'],
      env: {...process.env, ...opts.env},
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)))
    let hwm = 0
    const poll =
      opts.rss === 'proc'
        ? setInterval(() => {
            try {
              const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
              if (m) hwm = Math.max(hwm, Number(m[1]))
            } catch {
              // gone
            }
          }, 20)
        : undefined
    const {code, signal} = await new Promise((res, rej) => {
      child.once('error', rej)
      child.once('close', (code, signal) => res({code, signal}))
    })
    const ms = performance.now() - started
    if (poll) clearInterval(poll)
    let rssKiB
    if (rssFile) {
      rssKiB = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop())
      rmSync(rssFile, {force: true})
    } else if (opts.rss === 'proc') rssKiB = hwm
    return {code, signal, ms, stdout, stderr, rssKiB}
  } finally {
    closeSync(devnull)
  }
}

function check(what, r) {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code ?? r.signal}:\n${r.stderr}`)
}

function runbookOf(steps) {
  const parts = ['# Bench', '', '## Run', '']
  steps.forEach((script, i) => parts.push(`### Step ${i + 1}: step ${i + 1}`, '', '```bash', script, '```', ''))
  return parts.join('\n')
}

/** The run folder of the only run in a state dir. */
function onlyRun(stateDir) {
  const runs = join(stateDir, 'runs')
  const ids = readdirSync(runs)
  if (ids.length !== 1) throw new Error(`expected one run in ${runs}, found ${ids.length}`)
  return join(runs, ids[0])
}

function ours(runbook, stateDir, extra = {}) {
  return exec(process.execPath, [cli, 'run', runbook, '--no-tui', '--yes', '--state-dir', stateDir], extra)
}

async function benchSteps(tmp, rounds, log) {
  const file = join(tmp, 'steps.md')
  writeFileSync(file, runbookOf(Array.from({length: STEPS}, () => 'true')))
  const baselineArgs = ['-c', `for i in $(seq ${STEPS}); do bash -c true; done`]
  let n = 0
  const one = async () => {
    const stateDir = join(tmp, `state-steps-${n++}`)
    const r = await ours(file, stateDir)
    check('runbook run', r)
    const state = JSON.parse(readFileSync(join(onlyRun(stateDir), 'state.json'), 'utf8'))
    const done = state.steps.filter((s) => s.status === 'done').length
    if (state.status !== 'done' || done !== STEPS) throw new Error(`run ended ${state.status} with ${done}/${STEPS} steps done`)
    rmSync(stateDir, {recursive: true, force: true})
    return r.ms
  }
  const base = async () => {
    const r = await exec('bash', baselineArgs)
    check('baseline loop', r)
    return r.ms
  }
  log(`steps: warm-up`)
  await one()
  await base()
  const {a, b} = await alternateRounds(rounds, one, base, (i, ours, baseline) =>
    log(`steps: round ${i + 1}/${rounds}: ours ${ours.toFixed(0)} ms, baseline ${baseline.toFixed(0)} ms`),
  )
  const o = median(a)
  const bl = median(b)
  // Where the time goes: a run of one step is the run's start-up (Node's own, the modules, the lock,
  // the run's shell) and one step; what the 200 add beyond it is the cost of a step.
  const single = join(tmp, 'one-step.md')
  writeFileSync(single, runbookOf(['true']))
  const starts = []
  // Node's own start (`node -e 0`), between them: no runner written for Node can take less than it plus
  // the loop's time, so (it + the loop) / the loop is this figure's floor on this machine.
  const nodeStarts = []
  for (let i = 0; i < rounds; i++) {
    const stateDir = join(tmp, `state-one-${i}`)
    const r = await ours(single, stateDir)
    check('runbook run (one step)', r)
    rmSync(stateDir, {recursive: true, force: true})
    starts.push(r.ms)
    const node = await exec(process.execPath, ['-e', '0'])
    check('node -e 0', node)
    nodeStarts.push(node.ms)
  }
  const start = median(starts)
  const nodeStart = median(nodeStarts)
  const floor = (nodeStart + bl) / bl
  const perStepBeyond = (o - start) / (STEPS - 1)
  log(`steps: a run of one step ${start.toFixed(0)} ms (node -e 0: ${nodeStart.toFixed(0)} ms); beyond it, ${perStepBeyond.toFixed(2)} ms a step against the loop's ${(bl / STEPS).toFixed(2)} ms`)
  return {
    name: `${STEPS} steps of \`true\` (wall time)`,
    baselineName: `a bash loop running \`bash -c true\` ${STEPS} times`,
    ours: round2(o),
    baseline: round2(bl),
    ratio: round2(o / bl),
    target: 1.2,
    unit: 'ms',
    extra: {
      targetOf: 'ratio (ours / baseline time), lower is better; ≤ 1.5 allowed under load',
      pass: o / bl <= 1.2,
      loadAverage: round2(loadavg()[0]),
      rounds,
      oursPerStepMs: round2(o / STEPS),
      baselinePerCommandMs: round2(bl / STEPS),
      oneStepRunMs: round2(start),
      nodeStartMs: round2(nodeStart),
      floorForAnyNodeRunner: `${floor.toFixed(2)}× ((node -e 0 + the loop) / the loop)`,
      oursPerStepBeyondOneStepRunMs: round2(perStepBeyond),
      oursRoundsMs: a.map(round2),
      baselineRoundsMs: b.map(round2),
    },
  }
}

async function benchFlood(tmp, rounds, log) {
  const file = join(tmp, 'flood.md')
  writeFileSync(file, runbookOf([FLOOD]))
  const rss = process.env.BENCH_RSS === 'proc' || !(await haveGnuTime()) ? 'proc' : 'time'
  const mib = FLOOD_BYTES / (1024 * 1024)
  let n = 0
  const one = async () => {
    const stateDir = join(tmp, `state-flood-${n++}`)
    try {
      const r = await ours(file, stateDir, {rss, tmp})
      check('runbook run (1 GiB)', r)
      const logs = join(onlyRun(stateDir), 'logs')
      const size = readdirSync(logs).reduce((sum, f) => sum + statSync(join(logs, f)).size, 0)
      if (size < FLOOD_BYTES) throw new Error(`the step log holds ${size} bytes, less than the ${FLOOD_BYTES} printed`)
      return r
    } finally {
      // 1 GiB of log per round.
      rmSync(stateDir, {recursive: true, force: true})
    }
  }
  const base = async () => {
    const out = join(tmp, 'baseline.log')
    try {
      const r = await exec('bash', ['-c', `${FLOOD} | tee ${out} >/dev/null`], {rss, tmp})
      check('baseline pipeline', r)
      if (statSync(out).size < FLOOD_BYTES) throw new Error('the baseline log is short')
      return r
    } finally {
      rmSync(out, {force: true})
    }
  }
  const {a, b} = await alternateRounds(rounds, one, base, (i, ours, baseline) =>
    log(`flood: round ${i + 1}/${rounds}: ours ${ours.ms.toFixed(0)} ms (peak RSS ${((ours.rssKiB * 1024) / 1e6).toFixed(0)} MB), baseline ${baseline.ms.toFixed(0)} ms`),
  )
  const oMs = median(a.map((r) => r.ms))
  const bMs = median(b.map((r) => r.ms))
  // GNU time and VmHWM count KiB; the target is in MB (10^6 bytes).
  const oRss = (Math.max(...a.map((r) => r.rssKiB)) * 1024) / 1e6
  const bRss = (Math.max(...b.map((r) => r.rssKiB)) * 1024) / 1e6
  return [
    {
      name: '1 GiB of output (throughput)',
      baselineName: 'the same pipeline into `tee log`',
      ours: round2(mib / (oMs / 1000)),
      baseline: round2(mib / (bMs / 1000)),
      ratio: round2(bMs / oMs),
      target: 0.85,
      unit: 'MiB/s',
      extra: {
        targetOf: 'ratio (ours / baseline throughput) ≥ 0.85, higher is better',
        pass: bMs / oMs >= 0.85,
        rounds,
        oursSeconds: round2(oMs / 1000),
        baselineSeconds: round2(bMs / 1000),
      },
    },
    {
      name: '1 GiB of output (runner peak RSS)',
      ours: round2(oRss),
      baseline: round2(bRss),
      ratio: round2(oRss / bRss),
      target: 90,
      unit: 'MB',
      extra: {
        targetOf: 'ours (peak RSS ≤ 90 MB), not the ratio',
        pass: oRss <= 90,
        measuredWith: rss === 'time' ? `${TIME} -f %M (max over the process and its children)` : 'VmHWM polled from /proc/<pid>/status',
        baselineIs: 'bash pipeline into tee',
      },
    },
  ]
}

/** Runs the benchmarks; returns one result per measure. */
export async function run(opts = {}) {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npx tsc -p tsconfig.json).`)
  const log = opts.log ?? (() => {})
  const only = opts.only ?? process.env.BENCH_ONLY
  const rounds = opts.rounds ?? Number(process.env.BENCH_ROUNDS ?? 5)
  const floodRounds = opts.floodRounds ?? Number(process.env.BENCH_FLOOD_ROUNDS ?? 2)
  const tmp = mkdtempSync(join(tmpdir(), 'runbook-bench-'))
  mkdirSync(tmp, {recursive: true})
  const results = []
  try {
    if (!only || only === 'steps') results.push(await benchSteps(tmp, rounds, log))
    if (!only || only === 'flood') results.push(...(await benchFlood(tmp, floodRounds, log)))
  } finally {
    rmSync(tmp, {recursive: true, force: true})
  }
  return results
}

export function format(r) {
  const fmt = (x) => (x === null || x === undefined ? '-' : String(x))
  const at = r.extra?.targetOf?.includes('≥') ? '≥' : '≤'
  const target = r.target === null ? 'no target' : `target ${at} ${r.target}${r.extra?.targetOf?.startsWith('ours') ? ` ${r.unit}` : '×'} ${r.extra?.pass ? 'PASS' : 'MISS'}`
  return `${r.name}: ours ${fmt(r.ours)} ${r.unit}, baseline ${fmt(r.baseline)} ${r.unit}, ratio ${fmt(r.ratio)}× (${target})`
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  run({log: (line) => process.stderr.write(`${line}\n`)}).then(
    (results) => {
      for (const r of results) console.log(format(r))
    },
    (error) => {
      console.error(error)
      process.exitCode = 1
    },
  )
}
