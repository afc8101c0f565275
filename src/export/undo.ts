/**
 * Rollback for exported playbooks. What a step installs or overwrites is not
 * knowable from the page alone (which packages apt pulls in, whether a file
 * existed), so the playbook records it on the host just before the step's
 * first attempt, as the engine's journal does: the package list, a copy of
 * each file the engine's effect inference says the step writes (or that it
 * was absent), the running and enabled state of the services it touches.
 * `rollback.yml` then undoes, newest step first: the page's declared undo,
 * then files, services and packages back to the record. What cannot be
 * recorded (an installer script, a path decided at run time, an upgrade) is
 * written into rollback.yml as a comment, never guessed.
 */
import type {Action, Graph, Procedure, Step} from '../graph/types.js'
import type {Effect} from '../effects/effect-types.js'
import {describeUndo, undoClass} from '../effects/inverse.js'
import {inferEffects} from '../effects/effects.js'
import {actionRole} from './roles.js'
import {segments} from './steps.js'
import {jinjaText, tabCondition} from './tabs.js'
import type {Task} from './ansible.js'

export interface StepUndo {
  /** Tasks put before the step's actions in the playbook. */
  record: Task[]
  /** Undo tasks for rollback.yml (in the order they run). */
  undo: Task[]
  /** What rollback.yml cannot undo: comments. */
  byHand: string[]
}

const SHELL = {executable: '/bin/bash'}

const LIST_PACKAGES = `list_packages() {
  if command -v dpkg-query >/dev/null 2>&1; then dpkg-query -W -f='\${db:Status-Abbrev} \${binary:Package}\\n' | awk '$1 ~ /^.i/ {print $2}' | sort
  else rpm -qa --qf '%{NAME}.%{ARCH}\\n' | sort; fi
}
`

// Package scripts add system accounts (adduser --system) that purging leaves behind: recorded too.
const LIST_ACCOUNTS = `list_accounts() { getent "$1" | cut -d: -f1 | sort; }
`

const RECORD_PACKAGES = `set -e -o pipefail
${LIST_PACKAGES}${LIST_ACCOUNTS}f="$RUNBOOK_UNDO_DIR/packages"
[ -e "$f" ] && exit 0
mkdir -p "$RUNBOOK_UNDO_DIR"
list_accounts passwd > "$RUNBOOK_UNDO_DIR/users"
list_accounts group > "$RUNBOOK_UNDO_DIR/groups"
list_packages > "$f.tmp"
mv "$f.tmp" "$f"
echo recorded`

const UNDO_PACKAGES = `set -e -o pipefail
${LIST_PACKAGES}${LIST_ACCOUNTS}f="$RUNBOOK_UNDO_DIR/packages"
[ -e "$f" ] || exit 0
now=$(mktemp)
trap 'rm -f "$now"' EXIT
list_packages > "$now"
added=$(comm -13 "$f" "$now" | tr '\\n' ' ')
removed=$(comm -23 "$f" "$now" | tr '\\n' ' ')
if command -v apt-get >/dev/null 2>&1; then
  [ -z "$added" ] || DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $added
  [ -z "$removed" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q $removed
else
  [ -z "$added" ] || yum remove -y $added
  [ -z "$removed" ] || yum install -y $removed
fi
for user in $(list_accounts passwd | comm -13 "$RUNBOOK_UNDO_DIR/users" -); do userdel "$user"; echo "deleted the user $user"; done
for group in $(list_accounts group | comm -13 "$RUNBOOK_UNDO_DIR/groups" -); do groupdel "$group"; echo "deleted the group $group"; done
rm -f "$f" "$RUNBOOK_UNDO_DIR/users" "$RUNBOOK_UNDO_DIR/groups"
[ -z "$added$removed" ] || echo "removed: $added; reinstalled: $removed"`

const RECORD_FILES = `set -e -o pipefail
dir="$RUNBOOK_UNDO_DIR/files"
[ -e "$dir.done" ] && exit 0
mkdir -p "$dir"
: > "$dir.absent"
while IFS= read -r p; do
  [ -n "$p" ] || continue
  abs=$(realpath -m -- "$p")
  if [ -e "$abs" ] || [ -L "$abs" ]; then mkdir -p "$dir$(dirname -- "$abs")"; cp -a -- "$abs" "$dir$abs"
  else printf '%s\\n' "$abs" >> "$dir.absent"; fi
done <<< "$RUNBOOK_UNDO_PATHS"
while IFS= read -r p; do
  [ -n "$p" ] || continue
  abs=$(realpath -m -- "$p")
  [ -e "$abs" ] || printf '%s\\n' "$abs" >> "$dir.absent"
done <<< "$RUNBOOK_UNDO_DIRS"
touch "$dir.done"
echo recorded`

const UNDO_FILES = `set -e -o pipefail
dir="$RUNBOOK_UNDO_DIR/files"
[ -e "$dir.done" ] || exit 0
while IFS= read -r p; do
  [ -n "$p" ] || continue
  abs=$(realpath -m -- "$p")
  if [ -e "$dir$abs" ] || [ -L "$dir$abs" ]; then rm -rf -- "$abs"; mkdir -p "$(dirname -- "$abs")"; cp -a -- "$dir$abs" "$abs"; echo "restored $abs"; fi
done <<< "$RUNBOOK_UNDO_PATHS"
tac "$dir.absent" | while IFS= read -r abs; do
  if [ -e "$abs" ] || [ -L "$abs" ]; then rm -rf -- "$abs"; echo "removed $abs"; fi
done
rm -rf -- "$dir" "$dir.done" "$dir.absent"`

const SERVICE_STATE = `state() { # manager unit → "active enabled"
  case $1 in
    systemd) if [ "$(ps -p 1 -o comm=)" = systemd ]; then echo "$(systemctl is-active "$2" 2>/dev/null || true) $(systemctl is-enabled "$2" 2>/dev/null || true)"; else echo "unknown unknown"; fi ;;
    tarantoolctl) if ! command -v tarantoolctl >/dev/null 2>&1; then echo "inactive unknown"; elif tarantoolctl status "$2" >/dev/null 2>&1; then echo "active unknown"; else echo "inactive unknown"; fi ;;
    sysv) if service "$2" status >/dev/null 2>&1; then echo "active unknown"; else echo "inactive unknown"; fi ;;
  esac
}
`

const RECORD_SERVICES = `set -e -o pipefail
${SERVICE_STATE}f="$RUNBOOK_UNDO_DIR/services"
[ -e "$f" ] && exit 0
mkdir -p "$RUNBOOK_UNDO_DIR"
while read -r manager unit; do
  [ -n "$unit" ] || continue
  echo "$manager $unit $(state "$manager" "$unit")"
done <<< "$RUNBOOK_UNDO_UNITS" > "$f.tmp"
mv "$f.tmp" "$f"
echo recorded`

const UNDO_SERVICES = `set -e -o pipefail
${SERVICE_STATE}f="$RUNBOOK_UNDO_DIR/services"
[ -e "$f" ] || exit 0
while read -r manager unit active enabled; do
  read -r now_active now_enabled <<< "$(state "$manager" "$unit")"
  case $manager in
    systemd)
      if [ "$active" = active ] && [ "$now_active" != active ]; then systemctl start "$unit"; echo "started $unit"; fi
      if [ "$active" != active ] && [ "$active" != unknown ] && [ "$now_active" = active ]; then systemctl stop "$unit"; echo "stopped $unit"; fi
      if [ "$enabled" = enabled ] && [ "$now_enabled" = disabled ]; then systemctl enable "$unit"; fi
      if [ "$enabled" = disabled ] && [ "$now_enabled" = enabled ]; then systemctl disable "$unit"; fi ;;
    tarantoolctl)
      if [ "$active" != active ] && [ "$now_active" = active ]; then tarantoolctl stop "$unit"; echo "stopped $unit"; fi
      if [ "$active" = active ] && [ "$now_active" != active ]; then tarantoolctl start "$unit"; echo "started $unit"; fi ;;
    sysv)
      if [ "$active" != active ] && [ "$now_active" = active ]; then service "$unit" stop; echo "stopped $unit"; fi
      if [ "$active" = active ] && [ "$now_active" != active ]; then service "$unit" start; echo "started $unit"; fi ;;
  esac
done < "$f"
rm -f "$f"`

function shellTask(name: string, cmd: string, env: Record<string, string>, when: string[]): Task {
  return {name, 'ansible.builtin.shell': {cmd: jinjaText(cmd), ...SHELL, chdir: '{{ runbook_work_dir }}'}, environment: env, ...(when.length ? {when: when.length === 1 ? when[0] : when} : {})}
}

interface Recorded {
  files: string[]
  dirs: string[]
  units: string[]
  packages: boolean
  byHand: string[]
}

function collect(effects: Effect[]): Recorded {
  const r: Recorded = {files: [], dirs: [], units: [], packages: false, byHand: []}
  for (const e of effects) {
    const cls = undoClass(e)
    if (cls === 'manual' || (e.kind === 'file' && e.dynamic)) {
      r.byHand.push(describeUndo(e))
      continue
    }
    if (e.kind === 'file') (e.op === 'create-dir' ? r.dirs : r.files).push(e.path, ...(e.into ?? []).map((name) => `${e.path.replace(/\/$/, '')}/${name}`))
    else if (e.kind === 'package' && cls === 'packages') r.packages = true
    else if (e.kind === 'service') for (const unit of e.units) r.units.push(`${e.manager} ${unit}`)
  }
  const unique = (list: string[]) => [...new Set(list)]
  return {files: unique(r.files), dirs: unique(r.dirs), units: unique(r.units), packages: r.packages, byHand: unique(r.byHand)}
}

/** The undo of every step of a procedure, keyed `<role>/<step id>`. */
export async function inferUndo(graph: Graph, procedure: Procedure): Promise<Map<string, StepUndo>> {
  const out = new Map<string, StepUndo>()
  for (const seg of segments(procedure)) {
    for (const {step, actions} of seg.steps) out.set(`${seg.role}/${step.id}`, await stepUndo(graph, step, actions))
  }
  return out
}

async function stepUndo(graph: Graph, step: Step, actions: Action[]): Promise<StepUndo> {
  const record: Task[] = []
  const undo: Task[] = []
  const byHand: string[] = []
  const dirVar = `{{ runbook_state_dir }}/${step.id}`
  for (const [index, action] of actions.entries()) {
    if (!(action.kind === 'exec' || action.kind === 'check') || actionRole(action) === 'example') continue
    const r = collect(await inferEffects(action.script))
    byHand.push(...r.byHand)
    const when = action.when.map((c) => tabCondition(graph.groups[c.group]!, c.label)).filter((w) => w !== 'true')
    const env = {RUNBOOK_UNDO_DIR: `${dirVar}/a${index + 1}`}
    const name = (what: string) => `${step.number}. ${step.title}: ${what}${action.when.length ? ` [${action.when.map((c) => c.label).join(' / ')}]` : ''}`
    const items: Array<[string, string, string, Record<string, string>]> = []
    if (r.files.length || r.dirs.length) items.push(['files', RECORD_FILES, UNDO_FILES, {RUNBOOK_UNDO_PATHS: r.files.join('\n'), RUNBOOK_UNDO_DIRS: r.dirs.join('\n')}])
    if (r.units.length) items.push(['services', RECORD_SERVICES, UNDO_SERVICES, {RUNBOOK_UNDO_UNITS: r.units.join('\n')}])
    if (r.packages) items.push(['packages', RECORD_PACKAGES, UNDO_PACKAGES, {}])
    const undoOrder = ['services', 'files', 'packages']
    const mine: Task[] = []
    for (const [what, rec, und, extra] of items) {
      record.push({...shellTask(name(`record the ${what} it changes`), rec, {...env, ...extra}, when), register: 'runbook_undo_result', changed_when: "'recorded' in runbook_undo_result.stdout"})
      mine[undoOrder.indexOf(what)] = {...shellTask(name(`put the ${what} back`), und, {...env, ...extra}, when), register: 'runbook_undo_result', changed_when: 'runbook_undo_result.stdout | length > 0'}
    }
    // A later action's changes are undone before an earlier one's; within one, services stop before their files and packages go.
    undo.unshift(...mine.filter(Boolean))
  }
  return {record, undo, byHand: [...new Set(byHand)]}
}

