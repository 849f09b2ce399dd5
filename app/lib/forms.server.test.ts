import { describe, expect, it } from 'vitest'
import { DomainError } from '#app/lib/domain-errors.ts'
import { dispatchIntent, type FormFailure } from './forms.server.ts'
import { UNKNOWN_INTENT_MESSAGE } from './intent.ts'

function form(entries: Record<string, string>) {
  const formData = new FormData()
  for (const [key, value] of Object.entries(entries)) formData.append(key, value)
  return formData
}

type Answer = { data: unknown; init: ResponseInit | null }
const failureOf = (answer: unknown) => answer as Answer & { data: FormFailure }

describe('dispatchIntent', () => {
  const calls: unknown[][] = []
  const handlers = {
    rename(formData: FormData, who: string) {
      calls.push(['rename', formData.get('name'), who])
      return Promise.resolve({ renamed: who })
    },
    refuse(): Promise<never> {
      return Promise.reject(new DomainError('edit-window-closed', 'Too late to edit.', { field: 'body' }))
    },
    explode(): Promise<never> {
      return Promise.reject(new TypeError('a bug'))
    },
  }

  it('calls the handler the intent names, with the form and the arguments, and returns its answer', async () => {
    calls.length = 0
    const answer = await dispatchIntent(form({ intent: 'rename', name: 'Ada' }), handlers, 'admin')
    expect(answer).toEqual({ renamed: 'admin' })
    expect(calls).toEqual([['rename', 'Ada', 'admin']])
  })

  it('answers an unknown, missing or inherited intent with a 400 and the shared message, keeping what was typed', async () => {
    for (const intent of [undefined, '', 'delete', 'constructor', '__proto__', 'toString']) {
      calls.length = 0
      const entries: Record<string, string> = { body: 'what I wrote', password: 'secret value' }
      if (intent !== undefined) entries.intent = intent
      const answer = failureOf(await dispatchIntent(form(entries), handlers, 'admin'))
      expect(answer.init?.status, String(intent)).toBe(400)
      expect(answer.data.errors).toEqual({ form: [UNKNOWN_INTENT_MESSAGE] })
      expect(answer.data.values.body).toBe('what I wrote')
      expect(answer.data.values).not.toHaveProperty('password')
      expect(calls).toEqual([])
    }
  })

  it('turns a domain refusal into a form failure beside its field', async () => {
    const answer = failureOf(await dispatchIntent(form({ intent: 'refuse', body: 'kept' }), handlers, 'admin'))
    expect(answer.init?.status).toBe(409)
    expect(answer.data.errors).toEqual({ fields: { body: ['Too late to edit.'] } })
    expect(answer.data.values.body).toBe('kept')
  })

  it('lets anything else thrown go on up', async () => {
    await expect(dispatchIntent(form({ intent: 'explode' }), handlers, 'admin')).rejects.toThrow('a bug')
  })
})
