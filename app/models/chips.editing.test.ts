import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '#app/db.server.ts'
import { chipExportEvents, chips } from '#db/schema.ts'
import { truncateAll } from '#app/test/db.ts'
import { createTestUser } from '#app/test/users.ts'
import { ChipFormSchema } from '#app/schemas/authoring.ts'
import { getChip, getChipForEditing, listChipsForEditing, saveChip } from './chips.server.ts'
import { refusalOf } from '#app/test/domain.ts'

// Editing chips (chips.server.ts), each test on an empty database; chips.server.test.ts reads the seed.

beforeEach(truncateAll)

/** A chip form as the browser would send it, parsed by the form's own schema. */
function chipForm(fields: Record<string, string> = {}) {
  return ChipFormSchema.parse({ slug: 'x1', name: 'X1', vendor: 'Acme', exportStatus: 'unrestricted', ...fields })
}

function author() {
  return createTestUser({ role: 'author' })
}

describe('who may edit chips', () => {
  it('refuses a member on every function, and writes nothing', async () => {
    const member = await createTestUser({ role: 'member' })
    const calls: Promise<unknown>[] = [
      listChipsForEditing({ actor: member }),
      getChipForEditing({ actor: member, slug: 'x1' }),
      saveChip({ actor: member, input: chipForm() }),
      saveChip({ actor: member, slug: 'x1', input: chipForm() }),
    ]
    for (const call of calls) {
      const error = await refusalOf(call)
      expect(error.name).toBe('DomainError')
      expect(error.code).toBe('forbidden')
    }
    expect(await db.$count(chips)).toBe(0)
  })
})

describe('chips', () => {
  it('creates a chip with unknown figures as NULL, then fills them in and moves its slug', async () => {
    const actor = await author()
    await saveChip({ actor, input: chipForm({ memoryGb: '', bf16Tflops: '  ', launchYear: '' }) })
    const created = await getChipForEditing({ actor, slug: 'x1' })
    expect(created).toMatchObject({
      name: 'X1',
      vendor: 'Acme',
      architecture: null,
      memoryGb: null,
      memoryBandwidthGbs: null,
      bf16Tflops: null,
      tdpWatts: null,
      launchYear: null,
      exportStatusSince: null,
      exportNote: '',
      sources: [],
    })

    await new Promise((resolve) => setTimeout(resolve, 20))
    const saved = await saveChip({
      actor,
      slug: 'x1',
      input: chipForm({
        slug: 'x1-pro',
        name: 'X1 Pro',
        memoryGb: '141',
        memoryType: 'HBM3e',
        bf16Tflops: '989.5',
        launchYear: '2025',
        exportStatus: 'licence_required',
        exportStatusSince: '2025-01-15',
        exportNote: 'Needs a licence.',
        sources: 'Datasheet | https://example.com/x1\r\n\r\nPress report | http://news.example.org/a?b=c',
      }),
    })
    expect(saved.slug).toBe('x1-pro')
    expect(await getChipForEditing({ actor, slug: 'x1' })).toBeNull()
    const updated = await getChipForEditing({ actor, slug: 'x1-pro' })
    expect(updated).toMatchObject({
      memoryGb: 141,
      memoryType: 'HBM3e',
      bf16Tflops: 989.5,
      launchYear: 2025,
      exportStatus: 'licence_required',
      exportStatusSince: '2025-01-15',
      sources: [
        { label: 'Datasheet', url: 'https://example.com/x1' },
        { label: 'Press report', url: 'http://news.example.org/a?b=c' },
      ],
    })
    expect(updated!.updatedAt.getTime()).toBeGreaterThan(created!.updatedAt.getTime())
    expect((await listChipsForEditing({ actor })).map((c) => c.slug)).toEqual(['x1-pro'])
  })

  it('gives the slug error to the loser of two saves racing for one slug', async () => {
    const actor = await author()
    const results = await Promise.allSettled([
      saveChip({ actor, input: chipForm({ slug: 'race' }) }),
      saveChip({ actor, input: chipForm({ slug: 'race' }) }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'invalid-input', details: { field: 'slug' } })
    }
  })

  it('refuses a slug another chip uses, and an unknown chip to update', async () => {
    const actor = await author()
    await saveChip({ actor, input: chipForm({ slug: 'a1', name: 'A1' }) })
    await saveChip({ actor, input: chipForm({ slug: 'b1', name: 'B1' }) })
    const taken = await refusalOf(saveChip({ actor, input: chipForm({ slug: 'a1' }) }))
    expect(taken).toMatchObject({ code: 'invalid-input', details: { field: 'slug' } })
    expect(taken.message).toContain('“A1”')
    expect(await refusalOf(saveChip({ actor, slug: 'b1', input: chipForm({ slug: 'a1' }) }))).toMatchObject({
      code: 'invalid-input',
    })
    expect(await refusalOf(saveChip({ actor, slug: 'nope', input: chipForm() }))).toMatchObject({ code: 'not-found' })
  })

  it('rejects bad source lines, naming each', () => {
    const result = ChipFormSchema.safeParse({
      slug: 'x1',
      name: 'X1',
      vendor: 'Acme',
      exportStatus: 'unrestricted',
      sources: 'Good | https://example.com\nNo address here\n | https://example.com/b\nOld | ftp://example.com/c\nBroken | https://',
    })
    expect(result.success).toBe(false)
    const messages = result.error!.issues.filter((i) => i.path[0] === 'sources').map((i) => i.message)
    expect(messages).toEqual([
      expect.stringMatching(/^Source line 2: write it as/),
      expect.stringMatching(/^Source line 3: add a label/),
      expect.stringMatching(/^Source line 4: the address must be a full http/),
      expect.stringMatching(/^Source line 5: the address must be a full http/),
    ])
  })

  it('rejects figures that are not positive, sensible numbers', () => {
    const bad: Record<string, string> = {
      memoryGb: '0',
      memoryBandwidthGbs: '4.8',
      interconnectBandwidthGbs: '-900',
      bf16Tflops: '1,000',
      tdpWatts: '700W',
      launchYear: '1066',
      exportStatusSince: '2025-02-30',
    }
    const result = ChipFormSchema.safeParse({
      slug: 'x1',
      name: 'X1',
      vendor: 'Acme',
      exportStatus: 'unrestricted',
      ...bad,
    })
    expect(result.success).toBe(false)
    expect(new Set(result.error!.issues.map((i) => i.path[0]))).toEqual(new Set(Object.keys(bad)))
    expect(ChipFormSchema.safeParse({ slug: 'x1', name: 'X1', vendor: 'Acme', exportStatus: 'banned' }).success).toBe(false)
  })
})

describe('a chip’s status set in the editor', () => {
  it('becomes a dated event on its timeline, which is where the status is read from', async () => {
    const actor = await author()
    await saveChip({
      actor,
      input: chipForm({ slug: 'tl1', exportStatus: 'restricted', exportStatusSince: '2024-01-02', exportNote: 'Covered by the rule.' }),
    })
    expect((await getChip({ slug: 'tl1' }))?.chip).toMatchObject({
      exportStatus: 'restricted',
      exportStatusSince: '2024-01-02',
      exportNote: 'Covered by the rule.',
    })
    // Saving again with the same status adds nothing.
    await saveChip({
      actor,
      slug: 'tl1',
      input: chipForm({ slug: 'tl1', exportStatus: 'restricted', exportStatusSince: '2024-01-02', exportNote: 'Covered by the rule.', summary: 'Edited' }),
    })
    await saveChip({
      actor,
      slug: 'tl1',
      input: chipForm({ slug: 'tl1', exportStatus: 'approved_for_export', exportStatusSince: '2025-03-04', exportNote: 'Cleared.' }),
    })
    const result = await getChip({ slug: 'tl1' })
    expect(result?.chip.exportStatus).toBe('approved_for_export')
    expect(result?.timeline.map((e) => [e.effectiveDate, e.status])).toEqual([
      ['2025-03-04', 'approved_for_export'],
      ['2024-01-02', 'restricted'],
    ])
    expect(await db.select().from(chipExportEvents)).toHaveLength(2)
  })
})
