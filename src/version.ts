/** The engine's version, as reports and exports name it (kept equal to package.json's). */
export const ENGINE_VERSION = '0.1.0'
