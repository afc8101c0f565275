/**
 * The shape of a `state.json`, checked field by field before anything reads
 * it: a file edited by hand, cut short by a full disk or written by another
 * version must be reported as that run's problem (path and field), never as a
 * TypeError deep in a command, and never stop the other runs from listing.
 */

type Check = (value: unknown) => boolean

const isString: Check = (v) => typeof v === 'string'
const isInt: Check = (v) => typeof v === 'number' && Number.isInteger(v)
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v)

const RUN_STATUS = oneOf('running', 'done', 'failed', 'interrupted', 'aborted', 'partial', 'rolled-back')
const STEP_STATUS = oneOf('pending', 'running', 'done', 'failed', 'skipped', 'interrupted')

/** Required and optional fields of one object: the first field that does not fit, as `path: what was expected`. */
function fields(value: unknown, path: string, required: Record<string, Check>, optional: Record<string, Check> = {}): string | undefined {
  if (!isObject(value)) return `${path}: expected an object`
  for (const [key, check] of Object.entries(required)) if (!check(value[key])) return `${path}.${key}: missing or of the wrong type`
  for (const [key, check] of Object.entries(optional)) if (value[key] !== undefined && !check(value[key])) return `${path}.${key}: of the wrong type`
  return undefined
}

function stepProblem(step: unknown, path: string): string | undefined {
  return fields(
    step,
    path,
    {id: isString, number: isInt, title: isString, hash: isString, status: STEP_STATUS, attempts: isInt},
    {skipReason: isString, exitCode: isInt, signal: isString, startedAt: isString, endedAt: isString, log: isString, error: isString, group: (v) => isObject(v) && isInt(v.pgid) && isInt(v.sid)},
  )
}

function parameterProblem(p: unknown, path: string): string | undefined {
  if (!isObject(p)) return `${path}: expected an object`
  if (p.secret === true) return fields(p, path, {name: isString})
  return fields(p, path, {name: isString, secret: (v) => v === false, value: isString})
}

/** The first thing wrong with a parsed state (as `field: problem`), or undefined when it has the shape of a version-1 state. */
export function stateShapeProblem(state: unknown): string | undefined {
  if (!isObject(state)) return 'the file does not hold an object'
  if (state.version !== 1) return `version: ${JSON.stringify(state.version)} is not 1`
  const top = fields(
    state,
    'state',
    {
      runId: isString,
      runbook: (v) => fields(v, '', {file: isString, title: isString, hash: isString}) === undefined,
      platform: (v) => fields(v, '', {id: isString, arch: isString}) === undefined,
      procedure: (v) => fields(v, '', {id: isString, title: isString}) === undefined,
      choices: (v) => isObject(v) && Object.values(v).every(isString),
      parameters: Array.isArray,
      createdAt: isString,
      updatedAt: isString,
      status: RUN_STATUS,
      steps: Array.isArray,
    },
    {target: isString},
  )
  if (top) return top.replace(/^state\./, '')
  const steps = state.steps as unknown[]
  for (let i = 0; i < steps.length; i++) {
    const problem = stepProblem(steps[i], `steps[${i}]`)
    if (problem) return problem
  }
  const parameters = state.parameters as unknown[]
  for (let i = 0; i < parameters.length; i++) {
    const problem = parameterProblem(parameters[i], `parameters[${i}]`)
    if (problem) return problem
  }
  return undefined
}
