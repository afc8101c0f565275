/**
 * Ink draws only its last frame when it believes it runs in CI: it reads the
 * `CI` and `CONTINUOUS_INTEGRATION` variables once, when it loads. The app is
 * started only at a real terminal, where a person watches every frame, so
 * those variables are hidden while the app (and Ink with it) loads and put
 * back right after, for the commands the run starts.
 *
 * This has to wrap a dynamic import: a static `import` placed before Ink's is
 * not enough once bundled, since a bundler hoists the external `import "ink"`
 * above any code it inlines.
 */
const names = ['CI', 'CONTINUOUS_INTEGRATION'] as const

export async function loadTui(): Promise<typeof import('./tui.js')> {
  const saved = new Map<string, string>()
  for (const name of names) {
    const value = process.env[name]
    if (value !== undefined) {
      saved.set(name, value)
      delete process.env[name]
    }
  }
  try {
    return await import('./tui.js')
  } finally {
    for (const [name, value] of saved) process.env[name] = value
  }
}
