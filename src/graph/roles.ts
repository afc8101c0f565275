/**
 * What the prose says of the blocks that follow it: a condition ("If you need
 * to change…"), a supposition ("Let's say you run…"), an offer ("You can view
 * it with…"), a change from the default. Structure decides first (where a
 * sentence sits, what it introduces); these small lexicons, one line per
 * language (en, pt, es, fr, de), only read the sentence.
 */
import {slug, squash} from './text.js'
import type {ActionCondition} from './types.js'

/** Words that may open a sentence before its condition: "However, if…", "Porém, se…". */
const CONNECTIVE = String.raw`(?:(?:however|but|also|otherwise|then|and|porém|mas|no entanto|contudo|também|entretanto|sin embargo|pero|también|cependant|mais|toutefois|aussi|jedoch|aber|auch|dann)\s*,?\s+)?`

/** A sentence that opens with a condition. */
const IF_OPENING = new RegExp(
  '^' + CONNECTIVE + String.raw`(?:if|only if|in case|unless|se|somente se|apenas se|caso|si|solo si|sólo si|en caso de que|s'il|s’il|au cas où|seulement si|wenn|falls|sofern|nur wenn)(?![\p{L}])`,
  'iu',
)

/**
 * "When Tarantool is set to…", "Quando…": a state the block is for. "When
 * launching the script, include…" (a gerund) only says when, not whether.
 */
const WHEN_STATE = new RegExp('^' + CONNECTIVE + String.raw`(?:when|quando|cuando|lorsque|quand)\s+(?!\S+(?:ing|ando|endo|indo)\b)(?!you\b|você\b|usted\b|vous\b)`, 'iu')

/** A supposition that sets up a situation the rest of the section is for. */
const SUPPOSITION = /^(?:let'?s say|let’s say|suppose|assume|imagine|in this case|digamos que|suponha|supondo|imagine que|neste caso|nesse caso|supongamos|pongamos que|en este caso|supposons|imaginons|dans ce cas|angenommen|nehmen wir an|in diesem fall)(?![\p{L}])/iu

/** A purpose that changes what is already there: "To change allocated memory:". */
const CHANGE_PURPOSE = /^(?:to (?:change|modify|alter|adjust|customi[sz]e|override|tune)|para (?:alterar|mudar|modificar|ajustar|personalizar|cambiar)|pour (?:changer|modifier|ajuster|personnaliser)|um\s.+\szu (?:ändern|anpassen|verändern))(?![\p{L}])/iu

/** Prose that talks about the default the section then departs from. */
const DEFAULT = /\b(?:by default|default configuration|the default)\b|(?:por padrão|padrão|por defecto|predeterminad[oa]|par défaut|standardmäßig|voreingestellt)/iu

/** An offer, not an instruction: "You can view it with the command below". */
const OFFER = /(?:^|[\s,.;:])(?:you can|you may|optionally|você pode|opcionalmente|puede|puedes|usted puede|vous pouvez|facultativement|sie können|können sie|optional)(?![\p{L}])/iu

/** A title that says the step is optional: "Step 3: Delete backups (optional)". */
const OPTIONAL_TITLE = /(?:^|[\s(\[])(?:optional|opcional|facultatif|facultative|optionnel|optionnelle|fakultativ)(?![\p{L}])/iu

function sentences(text: string): string[] {
  return squash(text)
    .split(/(?<=[.!?])\s+(?=[\p{Lu}"“(])/u)
    .map((sentence) => sentence.trim())
    .filter(Boolean)
}

export function conditionOf(text: string): ActionCondition {
  const clean = squash(text).replace(/[:：]\s*$/, '')
  return {slug: slug(clean).split('-').slice(0, 12).join('-') || 'condition', text: clean}
}

/**
 * A sentence that puts what follows it under a condition: it opens with "if"
 * (or a change of purpose) and introduces what follows (ends with a colon).
 */
export function readConditionIntro(text: string): ActionCondition | undefined {
  const last = sentences(text).pop()
  if (!last || !/[:：]$/.test(last)) return undefined
  if (IF_OPENING.test(last) || CHANGE_PURPOSE.test(last) || WHEN_STATE.test(last)) return conditionOf(last)
  return undefined
}

/**
 * The opening prose of a section that is not a numbered step: a condition, a
 * supposition or a change from the default puts the whole section under it.
 */
export function readSectionCondition(intro: string[]): ActionCondition | undefined {
  for (const paragraph of intro) {
    for (const sentence of sentences(paragraph)) {
      if (IF_OPENING.test(sentence) || SUPPOSITION.test(sentence) || CHANGE_PURPOSE.test(sentence)) return conditionOf(sentence)
    }
  }
  const defaults = intro.flatMap(sentences).find((sentence) => DEFAULT.test(sentence))
  if (!defaults) return undefined
  // The condition is the change the section makes: its purpose sentence, else the default it departs from.
  const purpose = intro.flatMap(sentences).find((sentence) => /^(?:to|para|pour|um)\s/i.test(sentence))
  return conditionOf(purpose ?? defaults)
}

/** A sentence about the command that follows, not about the product: "…with the command below". */
const ABOUT_COMMAND = /(?:command|comando|commande|befehl|kommando)/iu

/** The opening prose of a section offers its commands rather than asking for them: "You can view it with the command below". */
export function readSectionOffer(intro: string[]): string | undefined {
  return intro.flatMap(sentences).find((sentence) => OFFER.test(sentence) && ABOUT_COMMAND.test(sentence))
}

export function titleSaysOptional(title: string): boolean {
  return OPTIONAL_TITLE.test(title)
}
