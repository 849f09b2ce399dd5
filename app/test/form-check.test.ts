import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { settingFields } from '#app/models/setting-fields.server.ts'
import { ChangePasswordSchema, DeleteAccountSchema, LoginSchema, ResetPasswordSchema, SignupSchema } from '#app/schemas/auth.ts'
import { ArticleFormSchema, ChipFormSchema, ImportFormSchema, joinRepeated } from '#app/schemas/authoring.ts'
import { commentSchemas } from '#app/schemas/comments.ts'
import { SuggestCorrectionSchema } from '#app/schemas/corrections.ts'
import { BanSchema, ModerateSchema, ReportSchema, SlowModeSchema, SuspendSchema } from '#app/schemas/moderation.ts'
import { settingsFormSchema } from '#app/schemas/settings.ts'
import { checkForm, groupErrors } from '#app/lib/form-check.ts'
import { parseForm, type FormFailure } from '#app/lib/forms.server.ts'

// The browser checks a form with the schema its action parses with. Here both run on the same forms:
// the browser must refuse what the server refuses, with the same messages beside the same fields,
// and let through what the server takes.

function form(entries: [string, string | File][]) {
  const formData = new FormData()
  for (const [key, value] of entries) formData.append(key, value)
  return formData
}

function serverErrors(formData: FormData, schema: z.ZodType) {
  const parsed = parseForm(formData, schema)
  if (parsed.ok) return undefined
  const { errors } = (parsed.response as unknown as { data: FormFailure }).data
  return errors.form?.length ? errors : { fields: errors.fields }
}

function browserErrors(formData: FormData, schema: z.ZodType) {
  const submission = checkForm(formData, schema)
  return submission.status === 'success' ? undefined : groupErrors(submission.error)
}

const comments = commentSchemas({ maxLength: 40 })
const cases: { name: string; schema: z.ZodType; entries: [string, string | File][]; refused: boolean }[] = [
  {
    name: 'sign-up, every field wrong',
    schema: SignupSchema,
    entries: [
      ['redirectTo', ''],
      ['email', 'x'],
      ['username', '1'],
      ['password', 'short'],
    ],
    refused: true,
  },
  {
    name: 'sign-up, a reserved name',
    schema: SignupSchema,
    entries: [
      ['email', 'a@b.co'],
      ['username', 'Admin'],
      ['password', 'long enough pw'],
    ],
    refused: true,
  },
  {
    name: 'sign-up, fine',
    schema: SignupSchema,
    entries: [
      ['email', ' A@B.co '],
      ['username', 'ada_l'],
      ['password', 'long enough pw'],
    ],
    refused: false,
  },
  {
    name: 'log-in, empty',
    schema: LoginSchema,
    entries: [
      ['redirectTo', ''],
      ['login', ''],
      ['password', ''],
    ],
    refused: true,
  },
  {
    name: 'reset, passwords differ',
    schema: ResetPasswordSchema,
    entries: [
      ['password', 'long enough pw'],
      ['confirm', 'long enough pv'],
    ],
    refused: true,
  },
  {
    name: 'change password, nothing typed',
    schema: ChangePasswordSchema,
    entries: [
      ['currentPassword', ''],
      ['password', ''],
      ['confirm', ''],
    ],
    refused: true,
  },
  {
    name: 'delete account, not confirmed',
    schema: DeleteAccountSchema,
    entries: [
      ['password', ''],
      ['confirm', 'yes'],
    ],
    refused: true,
  },
  {
    name: 'comment, empty',
    schema: comments.CreateCommentSchema,
    entries: [
      ['parentId', ''],
      ['returnTo', '/'],
      ['body', '  \r\n '],
    ],
    refused: true,
  },
  {
    name: 'comment, over the limit',
    schema: comments.CreateCommentSchema,
    entries: [
      ['parentId', ''],
      ['body', 'x'.repeat(41)],
    ],
    refused: true,
  },
  // CRLF line ends count once: 13 lines of "ab" are 52 characters as sent, 39 (under 40) as stored.
  { name: 'comment, CRLF counted as LF', schema: comments.CreateCommentSchema, entries: [['body', 'ab\r\n'.repeat(13)]], refused: false },
  {
    name: 'reply to a mangled reference',
    schema: comments.CreateCommentSchema,
    entries: [
      ['parentId', 'abc'],
      ['body', 'fine'],
    ],
    refused: true,
  },
  { name: 'edit, empty', schema: comments.EditCommentSchema, entries: [['body', '']], refused: true },
  {
    name: 'report, other without a note',
    schema: ReportSchema,
    entries: [
      ['reason', 'other'],
      ['note', '  '],
    ],
    refused: true,
  },
  {
    name: 'bulk moderation, nothing selected',
    schema: ModerateSchema,
    entries: [
      ['intent', 'moderate'],
      ['action', 'remove'],
      ['reason', ''],
    ],
    refused: true,
  },
  {
    name: 'bulk moderation, a mangled id',
    schema: ModerateSchema,
    entries: [
      ['action', 'hide'],
      ['ids[]', '3'],
      ['ids[]', 'xyz'],
    ],
    refused: true,
  },
  {
    name: 'bulk moderation, fine',
    schema: ModerateSchema,
    entries: [
      ['action', 'hide'],
      ['ids[]', '3'],
    ],
    refused: false,
  },
  {
    name: 'slow mode, negative',
    schema: SlowModeSchema,
    entries: [
      ['articleId', '1'],
      ['seconds', '-5'],
    ],
    refused: true,
  },
  {
    name: 'suspend, no date',
    schema: SuspendSchema,
    entries: [
      ['until', ''],
      ['reason', ''],
    ],
    refused: true,
  },
  { name: 'ban, no reason', schema: BanSchema, entries: [['reason', ' ']], refused: true },
  {
    name: 'correction, a bad figure and link',
    schema: SuggestCorrectionSchema,
    entries: [
      ['field', 'tdpWatts'],
      ['proposedValue', '-4'],
      ['sourceUrl', 'ftp://x'],
      ['note', ''],
    ],
    refused: true,
  },
  {
    name: 'article, scheduled without a date, a bad slug and tag',
    schema: ArticleFormSchema,
    entries: [
      ['title', ' '],
      ['slug', 'Not A Slug'],
      ['standfirst', ''],
      ['body', ''],
      ['tags', `ok, ${'t'.repeat(70)}`],
      ['chips', 'h200'],
      ['chips', 'Bad Chip'],
      ['status', 'scheduled'],
      ['publishAt', ''],
    ],
    refused: true,
  },
  {
    name: 'chip, figures in words',
    schema: ChipFormSchema,
    entries: [
      ['slug', 'x'],
      ['name', ''],
      ['vendor', 'V'],
      ['memoryGb', 'lots'],
      ['exportStatus', 'unrestricted'],
      ['sources', 'no bar here'],
    ],
    refused: true,
  },
  {
    name: 'import, nothing given',
    schema: ImportFormSchema,
    entries: [
      ['file', new File([], '')],
      ['text', ' '],
    ],
    refused: true,
  },
  {
    name: 'settings, out of range',
    schema: settingsFormSchema(settingFields()),
    entries: [
      ['commentsPerMinute', '-3'],
      ['maxCommentLength', 'abc'],
      ['holdFirstComment', 'on'],
    ],
    refused: true,
  },
]

describe('checkForm', () => {
  it.each(cases)('answers as the action does: $name', ({ schema, entries, refused }) => {
    // The article editor's chips are joined before either side parses them.
    const formData = entries.some(([key]) => key === 'chips') ? joinRepeated(form(entries), 'chips') : form(entries)
    const server = serverErrors(formData, schema)
    expect(server !== undefined, 'the server refuses it').toBe(refused)
    expect(browserErrors(formData, schema)).toEqual(server)
  })

  it('sends a form it has no schema for unchecked', () => {
    expect(checkForm(form([['anything', '']]), undefined).status).toBe('success')
  })
})

describe('groupErrors', () => {
  it('files the form’s errors apart and each field’s under its name', () => {
    expect(groupErrors({ '': ['Form'], 'ids[0]': ['Bad id'], 'ids[1]': ['Another'], body: ['Body'], note: null })).toEqual({
      form: ['Form'],
      fields: { ids: ['Bad id', 'Another'], body: ['Body'] },
    })
    expect(groupErrors({ body: [] })).toBeUndefined()
    expect(groupErrors(undefined)).toBeUndefined()
  })
})
