/**
 * System users and groups that appeared during a step. Package maintainer
 * scripts create them (`adduser --system tarantool`) and purging the package
 * leaves them behind; rollback deletes the ones the step added.
 */
import {RunbookError} from '../../errors.js'
import {probe} from './system.js'

export interface Accounts {
  users: string[]
  groups: string[]
}

async function names(database: 'passwd' | 'group'): Promise<string[]> {
  const r = await probe('getent', [database])
  if (r.exitCode !== 0) return []
  return r.stdout.split('\n').map((l) => l.split(':')[0]!).filter(Boolean)
}

export async function listAccounts(): Promise<Accounts> {
  return {users: await names('passwd'), groups: await names('group')}
}

export function diffAccounts(before: Accounts, after: Accounts): Accounts {
  return {
    users: after.users.filter((u) => !before.users.includes(u)),
    groups: after.groups.filter((g) => !before.groups.includes(g)),
  }
}

/** Idempotent: accounts already gone are skipped. `userdel` may take the user's group with it. */
export async function removeAccounts(accounts: Accounts): Promise<void> {
  for (const user of accounts.users) {
    if (!(await listAccounts()).users.includes(user)) continue
    const r = await probe('userdel', [user])
    if (r.exitCode !== 0) throw new RunbookError(`Could not delete the user ${user} that the step created: userdel exited with ${r.exitCode} (${r.stderr.trim()}). Delete it by hand, then run the rollback again.`, 1)
  }
  for (const group of accounts.groups) {
    if (!(await listAccounts()).groups.includes(group)) continue
    const r = await probe('groupdel', [group])
    if (r.exitCode !== 0) throw new RunbookError(`Could not delete the group ${group} that the step created: groupdel exited with ${r.exitCode} (${r.stderr.trim()}). Delete it by hand, then run the rollback again.`, 1)
  }
}
