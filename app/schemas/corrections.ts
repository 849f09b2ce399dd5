import { z } from 'zod'
import { formatBandwidth, formatFigure, formatText, NOT_AVAILABLE } from '#app/lib/format.ts'

// Reader corrections to a chip's figures. Each correctable field has a label, how its value reads in
// a sentence, a schema that turns the form's text into the stored value, and how that value is shown.
// Shared by the suggest form, the review queue and the model, so a rule is stated once.

export const correctableFields = [
  'architecture',
  'processNode',
  'memoryGb',
  'memoryType',
  'memoryBandwidthGbs',
  'interconnect',
  'interconnectBandwidthGbs',
  'bf16Tflops',
  'tdpWatts',
  'launchYear',
  'summary',
] as const
export type CorrectableField = (typeof correctableFields)[number]
export type CorrectionValue = string | number | null

export const CORRECTION_LIMITS = {
  // As long as the chip editor allows, so an accepted correction never makes a chip unsaveable there.
  shortText: 80,
  summary: 500,
  sourceUrl: 2000,
  note: 1000,
  reason: 500,
} as const

type FieldDefinition = {
  label: string
  /** The field inside a sentence: "the H200’s memory bandwidth". */
  phrase: string
  /** What to type: the unit numbers are given in. */
  hint: string
  nullable: boolean
  value: z.ZodType<CorrectionValue, string>
  format: (value: CorrectionValue) => string
}

function textValue(label: string, max: number, { nullable }: { nullable: boolean }) {
  return z.string().transform((raw, ctx): string | null => {
    const value = raw.trim().replace(/\s+/g, ' ')
    if (value === '') {
      if (nullable) return null
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `${label} cannot be empty.`,
      })
      return z.NEVER
    }
    if (value.length > max) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `${label} can be up to ${max} characters.`,
      })
      return z.NEVER
    }
    return value
  })
}

function figureValue(label: string, unit: string, { integer, max }: { integer: boolean; max: number }) {
  return z.string().transform((raw, ctx): number | null => {
    // "4,800" and "4 800" are how people write figures; the unit is given by the form, not typed.
    const value = raw.trim().replace(/[,\s]/g, '')
    if (value === '') return null
    const n = (integer ? /^\d+$/ : /^\d+(\.\d+)?$/).test(value) ? Number(value) : NaN
    if (!(n > 0) || n > max) {
      ctx.issues.push({
        code: 'custom',
        input: raw,
        message: `${label} must be ${
          integer ? 'a whole number' : 'a number'
        } of ${unit} above 0 (at most ${max.toLocaleString('en-GB')}), or empty if unknown.`,
      })
      return z.NEVER
    }
    return n
  })
}

const yearValue = z.string().transform((raw, ctx): number | null => {
  const value = raw.trim()
  if (value === '') return null
  const year = /^\d{4}$/.test(value) ? Number(value) : NaN
  if (!(year >= 1990 && year <= 2100)) {
    ctx.issues.push({
      code: 'custom',
      input: raw,
      message: 'The launch year must be a year from 1990 to 2100, or empty if unknown.',
    })
    return z.NEVER
  }
  return year
})

const asText = (v: CorrectionValue) => formatText(v === null ? null : String(v))
const asNumber = (v: CorrectionValue) => (typeof v === 'number' ? v : null)

export const correctionFields: Record<CorrectableField, FieldDefinition> = {
  architecture: {
    label: 'Architecture',
    phrase: 'architecture',
    hint: 'A name, like “Hopper”.',
    nullable: true,
    value: textValue('The architecture', CORRECTION_LIMITS.shortText, {
      nullable: true,
    }),
    format: asText,
  },
  processNode: {
    label: 'Process',
    phrase: 'process node',
    hint: 'Like “TSMC 4N”.',
    nullable: true,
    value: textValue('The process node', CORRECTION_LIMITS.shortText, {
      nullable: true,
    }),
    format: asText,
  },
  memoryGb: {
    label: 'Memory size',
    phrase: 'memory size',
    hint: 'In GB, digits only.',
    nullable: true,
    value: figureValue('Memory', 'GB', { integer: true, max: 100_000 }),
    format: (v) => formatFigure(asNumber(v), 'GB'),
  },
  memoryType: {
    label: 'Memory type',
    phrase: 'memory type',
    hint: 'Like “HBM3e”.',
    nullable: true,
    value: textValue('The memory type', CORRECTION_LIMITS.shortText, {
      nullable: true,
    }),
    format: asText,
  },
  memoryBandwidthGbs: {
    label: 'Memory bandwidth',
    phrase: 'memory bandwidth',
    hint: 'In GB/s, digits only: 4.8 TB/s is 4800.',
    nullable: true,
    value: figureValue('Memory bandwidth', 'GB/s', {
      integer: true,
      max: 1_000_000,
    }),
    format: (v) => formatBandwidth(asNumber(v)),
  },
  interconnect: {
    label: 'Interconnect',
    phrase: 'interconnect',
    hint: 'Like “NVLink 4”.',
    nullable: true,
    value: textValue('The interconnect', CORRECTION_LIMITS.shortText, {
      nullable: true,
    }),
    format: asText,
  },
  interconnectBandwidthGbs: {
    label: 'Chip-to-chip bandwidth',
    phrase: 'chip-to-chip bandwidth',
    hint: 'In GB/s, digits only.',
    nullable: true,
    value: figureValue('Chip-to-chip bandwidth', 'GB/s', {
      integer: true,
      max: 1_000_000,
    }),
    format: (v) => formatBandwidth(asNumber(v)),
  },
  bf16Tflops: {
    label: 'Dense BF16 throughput',
    phrase: 'dense BF16 throughput',
    hint: 'In TFLOPS; a decimal point is fine.',
    nullable: true,
    value: figureValue('Dense BF16 throughput', 'TFLOPS', {
      integer: false,
      max: 10_000_000,
    }),
    format: (v) => formatFigure(asNumber(v), 'TFLOPS'),
  },
  tdpWatts: {
    label: 'Power (TDP)',
    phrase: 'power (TDP)',
    hint: 'In watts, digits only.',
    nullable: true,
    value: figureValue('TDP', 'W', { integer: true, max: 100_000 }),
    format: (v) => formatFigure(asNumber(v), 'W'),
  },
  launchYear: {
    label: 'Launched',
    phrase: 'launch year',
    hint: 'A year, like 2024.',
    nullable: true,
    value: yearValue,
    format: (v) => (v === null ? NOT_AVAILABLE : String(v)),
  },
  summary: {
    label: 'Summary',
    phrase: 'summary',
    hint: `Up to ${CORRECTION_LIMITS.summary} characters; it cannot be empty.`,
    nullable: false,
    value: textValue('The summary', CORRECTION_LIMITS.summary, {
      nullable: false,
    }),
    format: asText,
  },
}

/** The stored form of a value: "" for unknown, digits for figures, the text itself otherwise. */
export function storedCorrectionValue(value: CorrectionValue): string {
  return value === null ? '' : String(value)
}

/** A stored proposed value as readers see it ("4.8 TB/s", "n/a"). */
export function formatStoredCorrectionValue(field: string, stored: string): string {
  const definition = correctionFields[field as CorrectableField] as FieldDefinition | undefined
  if (!definition) return formatText(stored)
  const parsed = definition.value.safeParse(stored)
  return parsed.success ? definition.format(parsed.data) : formatText(stored)
}

export function isCorrectableField(field: string): field is CorrectableField {
  return (correctableFields as readonly string[]).includes(field)
}

const sourceUrl = z
  .string({ error: 'Give a link to the source.' })
  .trim()
  .min(1, 'Give a link to the source: a datasheet, a vendor page or a report.')
  .max(CORRECTION_LIMITS.sourceUrl, `A link can be up to ${CORRECTION_LIMITS.sourceUrl} characters.`)
  .refine((value) => {
    try {
      const url = new URL(value)
      return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.hostname) && !/\s/.test(value)
    } catch {
      return false
    }
  }, 'The source must be a web address starting with http:// or https://.')

/** /chips/:slug/correct: the proposed value is checked by the chosen field's own schema. */
export const SuggestCorrectionSchema = z
  .object({
    field: z.enum(correctableFields, {
      error: 'Choose the figure you want to correct.',
    }),
    proposedValue: z.string().default(''),
    sourceUrl,
    note: z
      .string()
      .default('')
      .transform((v) => v.trim())
      .pipe(z.string().max(CORRECTION_LIMITS.note, `A note can be up to ${CORRECTION_LIMITS.note} characters.`)),
  })
  .transform((input, ctx) => {
    const parsed = correctionFields[input.field].value.safeParse(input.proposedValue)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.issues.push({
          code: 'custom',
          input: input.proposedValue,
          path: ['proposedValue'],
          message: issue.message,
        })
      }
      return z.NEVER
    }
    return { ...input, value: parsed.data }
  })
export type SuggestCorrectionInput = z.input<typeof SuggestCorrectionSchema>

const correctionId = z.coerce.number({ error: 'That suggestion does not exist.' }).int().positive().max(2_147_483_647)

export const AcceptCorrectionSchema = z.object({ correctionId })

export const DeclineCorrectionSchema = z.object({
  correctionId,
  reason: z
    .string()
    .default('')
    .transform((v) => v.trim())
    .pipe(
      z
        .string()
        .min(1, 'Give a reason for declining: the reader who suggested it will see it.')
        .max(CORRECTION_LIMITS.reason, `A reason can be up to ${CORRECTION_LIMITS.reason} characters.`),
    ),
})
