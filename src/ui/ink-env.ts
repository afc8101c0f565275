/**
 * Ink draws only its last frame when it believes it runs in CI: it reads the
 * `CI` and `CONTINUOUS_INTEGRATION` variables once, when it loads. The app is
 * started only at a real terminal, where a person watches every frame, so
 * those variables are hidden while Ink loads (this module is imported before
 * it) and put back right after, for the commands the run starts.
 */
const names = ['CI', 'CONTINUOUS_INTEGRATION'] as const
const saved = new Map<string, string>()
for (const name of names) {
  const value = process.env[name]
  if (value !== undefined) {
    saved.set(name, value)
    delete process.env[name]
  }
}

export function restoreCiVariables(): void {
  for (const [name, value] of saved) process.env[name] = value
  saved.clear()
}
