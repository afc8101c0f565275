/**
 * The plan: one procedure of a graph, resolved for one platform and one set of
 * choices, with parameters known. The executor runs plans; it never sees tabs.
 */
import type {ActionCondition, ActionKind, ActionRole, HostHint, SourcePos} from '../graph/types.js'

/** Canonical CPU names; `amd64` and `arm64` are read as aliases. */
export type Arch = 'x86_64' | 'aarch64' | (string & {})

export interface Platform {
  /** os-release `ID`, lower case: `debian`, `ubuntu`, `rhel`, `ol`, `amzn`… */
  id: string
  idLike: string[]
  versionId?: string
  codename?: string
  prettyName?: string
  /**
   * Codenames of the releases this one is built on, by family: Linux Mint's
   * `UBUNTU_CODENAME=jammy` gives `{ubuntu: 'jammy'}`. Lets ID_LIKE matching
   * know the upstream version.
   */
  baseCodenames?: Record<string, string>
  arch: Arch
  /** Where the facts came from: `/etc/os-release`, `--os ubuntu:22.04`, a file path… */
  source: string
  archSource: string
}

/** How a label was chosen for a group. */
export interface Selection {
  group: string
  label: string
  /** `platform` (os/arch match), `platform via ID_LIKE`, `choice` (flag or prompt), `only` (single label). */
  by: string
  /** Decided for another host's platform (its role). */
  host?: string
}

/** A host of the run with a platform of its own: `local`, and each role planned for its own system. */
export interface HostPlan {
  role: string
  platform: Platform
}

export interface PlannedAction {
  id: string
  kind: ActionKind
  /** `command`, or a `conditional`/`optional` one the user included (`--with`, a yes). */
  role: ActionRole
  roleReason?: string
  condition?: ActionCondition
  lang: string
  /** The script as it would run: placeholders substituted shell-safely where values are known. */
  script: string
  /** The script as written in the page. */
  template: string
  /** Labels chosen, outermost first. */
  variant: string[]
  source: SourcePos
  /** Placeholder names used by this action. */
  placeholders: string[]
  host: HostHint
  sudo: boolean
  interactive: boolean
  file?: string
  /**
   * An `edit` of a file this step already opened, with nothing run in between
   * (the page says "open the file" again for another setting): the editor opens
   * once, for the first; this one is shown but not opened again. The id of the first.
   */
  sameEditAs?: string
}

export interface PlannedStep {
  id: string
  number: number
  title: string
  source: SourcePos
  prose: string
  /** `other` when every action belongs on another server. */
  host: 'local' | 'other'
  /** The host roles of its actions, in order of appearance (`local`, `nginx`). */
  roles?: string[]
  actions: PlannedAction[]
  troubleshooting?: string
  /** Undo scripts the page's author declared for this step, for this platform. */
  rollback?: string[]
  /** Answers the page declares for the prompts of this step, for this platform. */
  answers?: PlannedAnswer[]
  /** What the page shows in this step that does not run: examples, output, conditions not taken. */
  skipped: SkippedAction[]
  /** Hash of the step's resolved templates: detects a runbook edited between runs. */
  hash: string
}

/** A declared answer: typed (then Enter) when the step waits at a prompt that matches `pattern`. */
export interface PlannedAnswer {
  pattern: string
  /** As written: placeholders are filled when the step runs. */
  value: string
  placeholders: string[]
  source: SourcePos
}

/** A block of the step that is shown, not run, and why. */
export interface SkippedAction {
  id: string
  kind: ActionKind
  role: ActionRole
  roleReason?: string
  condition?: ActionCondition
  script: string
  /** Tab labels it sits under (all of them when its tab was not decided). */
  variant: string[]
  source: SourcePos
  host: HostHint
  file?: string
}

/** A condition of the procedure and whether this run takes it. */
export interface ConditionDecision extends ActionCondition {
  role: 'conditional' | 'optional'
  included: boolean
  /** `--with`, `asked`, `recorded` (an earlier attempt of the run), or `not asked` (no terminal). */
  by: string
}

export interface ParameterInfo {
  name: string
  raw: string
  secret: boolean
  /** Where the value came from, when known: `--set`, `RUNBOOK_<NAME>`, `prompt`. */
  from?: string
  /** First place it is used. */
  source: SourcePos
}

export interface Plan {
  runbook: {title: string; file: string; hash: string}
  platform: Platform
  /** Every host with a platform of its own, `local` first; absent when only this host has one. */
  hosts?: HostPlan[]
  procedure: {id: string; title: string}
  /** The other procedures of the page, with the flag value that picks each. */
  otherProcedures: Array<{id: string; title: string}>
  /** Choice key → label chosen. */
  choices: Record<string, string>
  selections: Selection[]
  steps: PlannedStep[]
  parameters: ParameterInfo[]
  /** Every condition of the procedure, in page order, with the decision taken. */
  conditions: ConditionDecision[]
  /** Problems of the page the run goes on with (a missing include). */
  warnings: string[]
}
