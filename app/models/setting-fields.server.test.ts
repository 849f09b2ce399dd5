import { describe, expect, it } from 'vitest'
import { settingDefinitions, type SettingKey } from '#app/models/settings.server.ts'
import { settingsFormSchema } from '#app/schemas/settings.ts'
import { settingFields } from './setting-fields.server.ts'

function form(entries: Record<string, string>) {
  return settingsFormSchema(settingFields()).safeParse(entries)
}

/** What the model says of a value it refuses: "<description>: <its schema's message>". */
function modelMessage(key: SettingKey, value: unknown) {
  const definition = settingDefinitions[key]
  return `${definition.description}: ${definition.schema.safeParse(value).error?.issues[0]?.message}`
}

describe('settingFields', () => {
  it('describes every setting, numbers with the range their schema allows', () => {
    const fields = settingFields()
    expect(fields.map((f) => f.key)).toEqual(Object.keys(settingDefinitions))
    expect(fields.find((f) => f.key === 'commentsPerMinute')).toMatchObject({ kind: 'count', min: 1, max: 100_000 })
    expect(fields.find((f) => f.key === 'newAccountHours')).toMatchObject({ kind: 'count', min: 0, max: 2_160 })
    expect(fields.find((f) => f.key === 'holdFirstComment')).toMatchObject({ kind: 'flag' })
    expect(fields.find((f) => f.key === 'watchedWords')).toMatchObject({ kind: 'words' })
  })
})

describe('settingsFormSchema', () => {
  it('refuses a number the model would refuse, in the model’s words', () => {
    for (const [raw, value] of [
      ['abc', Number.NaN],
      ['', Number.NaN],
      ['1e309', Number.POSITIVE_INFINITY],
      ['2.5', 2.5],
      ['-3', -3],
      ['100001', 100_001],
    ] as const) {
      const result = form({ commentsPerMinute: raw })
      expect(result.success, raw).toBe(false)
      expect(result.error?.issues[0]?.path).toEqual(['commentsPerMinute'])
      expect(result.error?.issues[0]?.message, raw).toBe(modelMessage('commentsPerMinute', value))
    }
    expect(form({ resetTokenMinutes: '50000' }).error?.issues[0]?.message).toBe(modelMessage('resetTokenMinutes', 50_000))
    expect(form({ resetTokenMinutes: '50000' }).error?.issues[0]?.message).toContain('(30 days)')
  })

  it('gives what the form sent as typed values, leaving out what it did not send', () => {
    expect(form({ commentsPerMinute: ' 7 ', watchedWords: 'scamcoin\n\n miracle | Reject \n' }).data).toEqual({
      commentsPerMinute: 7,
      holdFirstComment: false,
      watchedWords: [
        { word: 'scamcoin', action: 'hold' },
        { word: 'miracle', action: 'reject' },
      ],
    })
    // An unticked checkbox is not sent: it means off.
    expect(form({}).data).toEqual({ holdFirstComment: false })
    expect(form({ holdFirstComment: 'on' }).data).toEqual({ holdFirstComment: true })
  })
})
