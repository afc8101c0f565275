/** SARIF validation against the official 2.1.0 JSON schema, as published in a registry package. */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'

const require = createRequire(import.meta.url)
// The SARIF 2.1.0 schema (rtm.5, the release schema) as Microsoft's SARIF SDK ships it in @microsoft/jest-sarif.
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json')

/** The schema's complaints about `text` (empty when valid). */
export function validateSarif(text: string): string[] {
  // The schema's language pattern is written for ECMAScript regexes without the u flag.
  const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false, logger: false})
  addFormats(ajv)
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')))
  return validate(JSON.parse(text)) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`)
}
