import { describe, expect, it } from 'vitest'
import { intentOf } from './intent.ts'

function form(entries: [string, string | Blob][]) {
  const formData = new FormData()
  for (const [key, value] of entries) formData.append(key, value)
  return formData
}

describe('intentOf', () => {
  const handlers = { save: () => 'saved', preview: () => 'previewed' }

  it('names the handler the form asks for', () => {
    expect(intentOf(form([['intent', 'save']]), handlers)).toBe('save')
    expect(
      intentOf(
        form([
          ['title', 'x'],
          ['intent', 'preview'],
        ]),
        handlers,
      ),
    ).toBe('preview')
  })

  it('names nothing for a missing, empty, unknown or inherited intent', () => {
    expect(intentOf(form([]), handlers)).toBeNull()
    for (const intent of ['', 'explode', 'Save', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(intentOf(form([['intent', intent]]), handlers), intent).toBeNull()
    }
  })

  it('names nothing when the intent is a file', () => {
    expect(intentOf(form([['intent', new Blob(['save'])]]), handlers)).toBeNull()
  })

  it('reads the first intent when a form sends two (a hidden field, then the button pressed)', () => {
    expect(
      intentOf(
        form([
          ['intent', 'save'],
          ['intent', 'preview'],
        ]),
        handlers,
      ),
    ).toBe('save')
  })
})
