import { Form } from '@remix-run/react'
import { type EditorFailure } from '#app/components/article-editor.tsx'
import { Field, FormErrorSummary, SelectField, SubmitButton, TextareaField, firstInvalid, useFormValidation } from '#app/components/forms.tsx'
import type { ChipFigures } from '#app/lib/chip-figures.ts'
import { exportStatusLabels } from '#app/lib/format.ts'
import { CHIP_LIMITS, ChipFormSchema, formatSourceLines } from '#app/schemas/authoring.ts'
import { exportStatuses } from '#db/enums.ts'

// Every field of a chip, in one form. Figures are typed as text (not type="number", which sends an
// empty value for "1,000" and would quietly turn a typo into "unknown"); the schema checks them.

export type EditorChipRecord = ChipFigures & {
  exportStatusSince: string | null
  exportNote: string
  summary: string
  sources: { label: string; url: string }[]
}

const fieldOrder = [
  'slug',
  'name',
  'vendor',
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
  'exportStatus',
  'exportStatusSince',
  'exportNote',
  'summary',
  'sources',
]

function storedValues(chip: EditorChipRecord | undefined): Record<string, string> {
  if (!chip) return { exportStatus: 'unrestricted' }
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(chip)) {
    if (key === 'sources') values.sources = formatSourceLines(chip.sources)
    else values[key] = value === null || value === undefined || typeof value === 'object' ? '' : String(value)
  }
  return values
}

export function ChipEditor({ chip, failure }: { chip?: EditorChipRecord; failure?: EditorFailure }) {
  const values = failure?.values ?? storedValues(chip)
  const { form, errors } = useFormValidation({ id: 'chip-form', schema: ChipFormSchema, result: failure })
  const focus = firstInvalid(errors, fieldOrder)
  const props = (name: string) => ({
    name,
    defaultValue: values[name] ?? '',
    errors: errors?.fields?.[name],
    autoFocusOnError: focus === name,
  })
  const figure = { inputMode: 'decimal' as const, autoComplete: 'off', spellCheck: false }

  return (
    <Form {...form} method="post" className="stack" noValidate aria-describedby={errors?.form ? 'chip-errors' : undefined}>
      <FormErrorSummary errors={errors?.form} id="chip-errors" />

      <fieldset className="form-section">
        <legend>The chip</legend>
        <div className="form-grid">
          <Field
            label="Slug"
            hint="Its address: /chips/your-slug. Lower-case letters, digits and hyphens."
            maxLength={CHIP_LIMITS.slug}
            autoCapitalize="none"
            spellCheck={false}
            required
            {...props('slug')}
          />
          <Field label="Name" maxLength={CHIP_LIMITS.name} required {...props('name')} />
          <Field label="Vendor" maxLength={CHIP_LIMITS.vendor} required {...props('vendor')} />
          <Field label="Architecture" maxLength={CHIP_LIMITS.shortText} {...props('architecture')} />
          <Field label="Process node" maxLength={CHIP_LIMITS.shortText} {...props('processNode')} />
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Figures</legend>
        <p className="field__hint">Vendor-published peak values, in digits. Leave a figure empty when it is unknown: readers see “n/a”.</p>
        <div className="form-grid">
          <Field label="Memory (GB)" {...figure} inputMode="numeric" {...props('memoryGb')} />
          <Field label="Memory type" maxLength={CHIP_LIMITS.shortText} {...props('memoryType')} />
          <Field label="Memory bandwidth (GB/s)" {...figure} inputMode="numeric" {...props('memoryBandwidthGbs')} />
          <Field label="Interconnect" maxLength={CHIP_LIMITS.shortText} {...props('interconnect')} />
          <Field label="Interconnect bandwidth (GB/s)" {...figure} inputMode="numeric" {...props('interconnectBandwidthGbs')} />
          <Field label="Dense BF16 (TFLOPS)" {...figure} {...props('bf16Tflops')} />
          <Field label="TDP (W)" {...figure} inputMode="numeric" {...props('tdpWatts')} />
          <Field label="Launch year" {...figure} inputMode="numeric" maxLength={4} {...props('launchYear')} />
        </div>
      </fieldset>

      <fieldset className="form-section">
        <legend>Export control</legend>
        <div className="form-grid">
          <SelectField
            label="Export status"
            options={exportStatuses.map((s) => ({ value: s, label: exportStatusLabels[s] }))}
            {...props('exportStatus')}
          />
          <Field label="Export status since" type="date" hint="When the status took effect, if known." {...props('exportStatusSince')} />
        </div>
        <TextareaField
          label="Export note"
          hint="What the status means for this chip, in a sentence or two."
          rows={3}
          maxLength={CHIP_LIMITS.exportNote}
          {...props('exportNote')}
        />
      </fieldset>

      <fieldset className="form-section">
        <legend>About</legend>
        <TextareaField label="Summary" rows={4} maxLength={CHIP_LIMITS.summary} {...props('summary')} />
        <TextareaField
          label="Sources"
          hint={`One a line, as “label | https://address”. Up to ${CHIP_LIMITS.sources}.`}
          rows={5}
          spellCheck={false}
          {...props('sources')}
        />
      </fieldset>

      <SubmitButton pendingText="Saving…">Save chip</SubmitButton>
    </Form>
  )
}
