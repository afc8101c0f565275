/**
 * The step graph: what the engine understood of a page.
 *
 * A page holds procedures (alternative ways through it), a procedure holds
 * ordered steps, a step holds actions. Every action sits under a condition:
 * the path of tab labels (and comment-led variants) it appears in.
 */

/** A place in a source file; `line` is 1-based and always refers to the original file. */
export interface SourcePos {
  file: string
  line: number
}

export type Severity = 'error' | 'warning' | 'info'

export interface Diagnostic {
  severity: Severity
  message: string
  source: SourcePos
}

/**
 * What a tab group chooses between.
 * - `os`: labels naming distributions and versions;
 * - `arch`: CPU architectures;
 * - `choice`: anything else (decided by the user, once per `key`).
 */
export type Dimension = 'os' | 'arch' | 'choice'

export interface TabGroup {
  /** Unique within the graph, e.g. `g12`. */
  id: string
  dimension: Dimension
  /** Normalised label set: groups with the same key share one decision. */
  key: string
  labels: string[]
  source: SourcePos
  /** True when the group comes from comment-led sections inside one code block. */
  inline?: boolean
}

/** One level of a condition: the action sits in the tab `label` of `group`. */
export interface Condition {
  group: string
  label: string
}

export type ActionKind = 'exec' | 'edit' | 'file-content' | 'check' | 'manual'

export interface Placeholder {
  /** The name as a parameter: `TOKEN`, `GROUP`, `NAME_OF_POSTANALYTICS_NODE`. */
  name: string
  /** The text as written, brackets included: `<name of postanalytics node>`. */
  raw: string
  /** Names that look like credentials are never written to disk or logs. */
  secret: boolean
}

/** Where an action is meant to run. */
export interface HostHint {
  /** `other`: the prose says it belongs on another server. */
  where: 'local' | 'other'
  /** The sentence (or comment) that says so. */
  reason: string
  /** A stable name for the host (`local`, `nginx`, `old`), set by host-roles.ts; targets are keyed by it. */
  role?: string
}

/**
 * What the page gives a block for. Only `command` runs by default;
 * `conditional` and `optional` run when the user includes them (`--with`);
 * `file-content`, `example` and `output` are shown, never run.
 */
export type ActionRole = 'command' | 'file-content' | 'example' | 'output' | 'conditional' | 'optional'

/** The condition a conditional (or optional) action waits for, in the page's words. */
export interface ActionCondition {
  /** Stable and readable: `if-you-need-to-change-the-tarantool-address`. */
  slug: string
  /** The page's words. */
  text: string
}

export interface Action {
  /** Stable within the step: `<step id>/a<n>`. */
  id: string
  kind: ActionKind
  role: ActionRole
  /** Why this role: the page's words, or the structural reason. */
  roleReason?: string
  /** `conditional` and `optional` actions: what they wait for. */
  condition?: ActionCondition
  /** Fence language (`bash`, `yaml`, '' when unlabeled); `text` for manual actions. */
  lang: string
  /** The command or content as written (for manual actions: the instruction text). */
  script: string
  source: SourcePos
  /** Tab labels outermost first; empty when unconditional. */
  when: Condition[]
  placeholders: Placeholder[]
  sudo: boolean
  /** Needs a person at a terminal (an editor, a pager, a prompt). */
  interactive: boolean
  host: HostHint
  /** `edit` and `file-content`: the file concerned, when the page names it. */
  file?: string
  /** The fence this action comes from: parts of one split block share it. */
  block?: string
}

export interface Step {
  /** Stable slug, unique within the procedure. */
  id: string
  number: number
  title: string
  source: SourcePos
  /** The step's prose as plain text, for display. */
  prose: string
  actions: Action[]
  /** Tab groups that appear in this step, in document order. */
  groups: string[]
  /** Text to show when a check of this step fails (a troubleshooting list or section). */
  troubleshooting?: string
  /** Author-declared undo scripts (see rollback). */
  rollback?: RollbackDecl[]
  /** Author-declared answers to the prompts of the step's commands (see answers.ts). */
  answers?: AnswerDecl[]
  /** `--8<--` includes of this step whose file was not found (their content is missing). */
  missingIncludes?: string[]
}

export interface AnswerDecl {
  /** Text the prompt contains (any case), or `/a regular expression/`. */
  pattern: string
  /** What is typed, as written (may hold placeholders). */
  value: string
  placeholders: Placeholder[]
  source: SourcePos
  when: Condition[]
  /** The line could not be read: what is wrong with it. */
  invalid?: string
}

export interface RollbackDecl {
  script: string
  source: SourcePos
  when: Condition[]
}

export interface Procedure {
  id: string
  title: string
  source: SourcePos
  /** Text before the first step (requirements and the like). */
  preamble: string
  steps: Step[]
}

/** A fenced block outside any step: kept so that no fence of the source is lost. */
export interface ContextBlock {
  lang: string
  text: string
  source: SourcePos
  /** The heading it sits under, if any. */
  section?: string
}

export interface Graph {
  title: string
  file: string
  /** BCP 47-ish language read from the page when it says so, else undefined. */
  procedures: Procedure[]
  groups: Record<string, TabGroup>
  context: ContextBlock[]
  diagnostics: Diagnostic[]
}
