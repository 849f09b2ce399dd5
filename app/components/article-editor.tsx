import { Form, Link, useFetcher } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import {
  Field,
  FieldErrors,
  FormErrorSummary,
  SelectField,
  SubmitButton,
  TextareaField,
  firstInvalid,
  useFormValidation,
  type FormErrors,
} from '#app/components/forms.tsx'
import { formatDate } from '#app/lib/format.ts'
import { ARTICLE_LIMITS } from '#app/lib/article-limits.ts'
import { ArticleFormSchema, ArticlePreviewSchema, joinRepeated, toUtcDateTimeInput } from '#app/schemas/authoring.ts'
import { articleStatuses, type ArticleStatus } from '#db/enums.ts'

// The article editor, shared by "new" and "edit": one form that works without JavaScript (Save,
// Preview), and with it a preview that follows the body as the author types, rendered on the server.

export type EditorFailure = { errors: FormErrors; values: Record<string, string>; preview?: string }

type DateLike = Date | string

export type EditorArticle = {
  id: number
  slug: string
  title: string
  standfirst: string
  body: string
  bodyHtml: string
  status: ArticleStatus
  publishedAt: DateLike | null
  updatedAt: DateLike
  authorName: string | null
  isPublic: boolean
  tags: string[]
  chips: string[]
}

export type EditorChip = { slug: string; name: string; vendor: string }

export const articleStatusLabels: Record<ArticleStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  published: 'Published',
  archived: 'Archived',
}

const compactDate = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
})

/**
 * "1 December 2026, 09:30 UTC", or compact for tables ("1 Dec 2026, 09:30", under a heading that
 * says UTC): the site states times in UTC, as the editor takes them.
 */
export function formatDateTime(value: DateLike, { compact = false } = {}): string {
  const date = typeof value === 'string' ? new Date(value) : value
  const time = date.toISOString().slice(11, 16)
  return compact ? `${compactDate.format(date)}, ${time}` : `${formatDate(date)}, ${time} UTC`
}

const fieldOrder = ['title', 'slug', 'standfirst', 'body', 'tags', 'chips', 'status', 'publishAt']

function statusLine(article: EditorArticle) {
  const at = article.publishedAt ? formatDateTime(article.publishedAt) : null
  switch (article.status) {
    case 'draft':
      return 'Draft: only staff can see it.'
    case 'archived':
      return 'Archived: readers no longer see it.'
    case 'scheduled':
      return article.isPublic ? `Scheduled, and live since ${at}.` : `Scheduled: it publishes itself on ${at}.`
    case 'published':
      return article.isPublic ? `Published on ${at}.` : `Published, dated ${at}.`
  }
}

/** The chips ticked, as the action reads them. */
const joinChips = (formData: FormData) => joinRepeated(formData, 'chips')

/** The editor's page body: status line, the form, and its preview. */
export function ArticleEditor({
  article,
  chips,
  failure,
  submissionKey,
  now,
}: {
  article?: EditorArticle
  chips: EditorChip[]
  failure?: EditorFailure
  submissionKey: number
  now: DateLike
}) {
  return (
    <>
      {article ? (
        <p className="muted">
          {statusLine(article)} Last saved {formatDateTime(article.updatedAt)}
          {article.authorName ? ` · by ${article.authorName}` : ''}.
          {article.isPublic ? (
            <>
              {' '}
              <Link to={`/articles/${article.slug}`}>View on site</Link>
            </>
          ) : null}
        </p>
      ) : null}
      <EditorForm key={submissionKey} article={article} chips={chips} failure={failure} now={now} />
    </>
  )
}

function EditorForm({ article, chips, failure, now }: { article?: EditorArticle; chips: EditorChip[]; failure?: EditorFailure; now: DateLike }) {
  // After a submission the form shows what was sent; before, what is stored.
  const values = failure?.values
  const value = (name: string, stored: string) => values?.[name] ?? stored
  const { form, errors } = useFormValidation({
    id: 'article-form',
    schema: { save: ArticleFormSchema, preview: ArticlePreviewSchema },
    result: failure,
    prepare: joinChips,
  })
  const fields = errors?.fields
  const focus = firstInvalid(errors, fieldOrder)
  const checkedChips = new Set(values ? (values.chips ?? '').split(',').filter(Boolean) : (article?.chips ?? []))
  const standfirst = value('standfirst', article?.standfirst ?? '')
  // An imported standfirst may run long: say so before the author tries to save.
  const standfirstErrors =
    fields?.standfirst ??
    (!failure && standfirst.length > ARTICLE_LIMITS.standfirst
      ? [`Shorten this to ${ARTICLE_LIMITS.standfirst} characters or fewer before saving: it has ${standfirst.length}.`]
      : undefined)
  const nowIso = (typeof now === 'string' ? new Date(now) : now).toISOString()

  const [body, setBody] = useState(() => value('body', article?.body ?? ''))
  const stored = failure ? failure.preview : article?.bodyHtml
  const preview = useLivePreview(body, stored)

  return (
    <Form {...form} method="post" className="stack" noValidate aria-describedby={errors?.form ? 'article-errors' : undefined}>
      <FormErrorSummary errors={errors?.form} id="article-errors" />
      <Field
        label="Headline"
        name="title"
        defaultValue={value('title', article?.title ?? '')}
        errors={fields?.title}
        autoFocusOnError={focus === 'title'}
        maxLength={ARTICLE_LIMITS.title}
        required
      />
      <Field
        label="Slug"
        name="slug"
        hint={
          article
            ? 'The article’s address: /articles/your-slug. Changing it breaks links to a published article. Left empty, it stays as it is.'
            : 'The article’s address: /articles/your-slug. Left empty, it is made from the headline. Lower-case letters, digits and hyphens.'
        }
        defaultValue={value('slug', article?.slug ?? '')}
        errors={fields?.slug}
        autoFocusOnError={focus === 'slug'}
        maxLength={ARTICLE_LIMITS.slug}
        pattern="[a-z0-9]+(-[a-z0-9]+)*"
        autoCapitalize="none"
        spellCheck={false}
      />
      <TextareaField
        label="Standfirst"
        name="standfirst"
        hint={`One or two sentences under the headline, up to ${ARTICLE_LIMITS.standfirst} characters.`}
        rows={3}
        defaultValue={standfirst}
        errors={standfirstErrors}
        autoFocusOnError={focus === 'standfirst'}
      />
      <div className="editor-split">
        <TextareaField
          label="Body"
          name="body"
          hint="Markdown: ## headings, **bold**, *italic*, [links](https://…), > quotes, lists and tables. No HTML."
          rows={22}
          value={body}
          onChange={(event) => setBody(event.currentTarget.value)}
          errors={fields?.body}
          autoFocusOnError={focus === 'body'}
          className="editor-body"
        />
        <section className="editor-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading" className="eyebrow">
            Preview
          </h2>
          {preview.live ? <p className="field__hint">Follows the body as you type.</p> : null}
          {preview.html ? (
            <div className="prose" dangerouslySetInnerHTML={{ __html: preview.html }} />
          ) : (
            <p className="muted">{preview.live ? 'Nothing to preview yet.' : 'Press Preview to see the body as readers will.'}</p>
          )}
        </section>
      </div>
      <Field
        label="Tags"
        name="tags"
        hint="Separated by commas, by name or slug. Tags we do not have yet are created."
        defaultValue={value('tags', article?.tags.join(', ') ?? '')}
        errors={fields?.tags}
        autoFocusOnError={focus === 'tags'}
      />
      <fieldset className="checkbox-list" aria-describedby={fields?.chips ? 'field-chips-error' : undefined}>
        <legend>Chips in this story</legend>
        {chips.length === 0 ? <p className="muted">No chips in the database yet.</p> : null}
        <ul>
          {chips.map((chip) => (
            <li key={chip.slug}>
              <label>
                <input type="checkbox" name="chips" value={chip.slug} defaultChecked={checkedChips.has(chip.slug)} /> {chip.name}{' '}
                <span className="muted">({chip.vendor})</span>
              </label>
            </li>
          ))}
        </ul>
        <FieldErrors id="field-chips" errors={fields?.chips} />
      </fieldset>
      <div className="form-grid">
        <SelectField
          label="Status"
          name="status"
          hint="Draft and archived: only staff see it. Scheduled: it publishes itself at the time below. Published: public now."
          options={articleStatuses.map((s) => ({ value: s, label: articleStatusLabels[s] }))}
          defaultValue={value('status', article?.status ?? 'draft')}
          errors={fields?.status}
          autoFocusOnError={focus === 'status'}
        />
        <Field
          label="Publish at (UTC)"
          name="publishAt"
          type="datetime-local"
          hint={
            <>
              Needed to schedule, and then in the future. Published and left empty: now. It is now <time dateTime={nowIso}>{formatDateTime(nowIso)}</time>.
            </>
          }
          defaultValue={value('publishAt', toUtcDateTimeInput(article?.publishedAt))}
          errors={fields?.publishAt}
          autoFocusOnError={focus === 'publishAt'}
        />
      </div>
      <div className="toolbar">
        <SubmitButton pendingText="Saving…" name="intent" value="save">
          Save
        </SubmitButton>
        <SubmitButton pendingText="Rendering…" name="intent" value="preview" className="button button--secondary">
          Preview
        </SubmitButton>
      </div>
    </Form>
  )
}

/**
 * The rendered body: what the server last rendered for this form (a Preview press, or the stored
 * article), then, once JavaScript runs, a fresh rendering shortly after each change. Markdown is
 * rendered on the server only, so the browser never loads a Markdown parser.
 */
function useLivePreview(body: string, initial: string | undefined) {
  const fetcher = useFetcher<EditorFailure>()
  const submit = useRef(fetcher.submit)
  submit.current = fetcher.submit
  const [live, setLive] = useState(false)
  const lastSent = useRef<string | null>(null)

  useEffect(() => {
    setLive(true)
  }, [])

  useEffect(() => {
    // The first rendering is already on the page, unless the form came back without one.
    if (lastSent.current === null && (initial !== undefined || body === '')) {
      lastSent.current = body
      return
    }
    if (lastSent.current === body) return
    const timer = setTimeout(() => {
      lastSent.current = body
      submit.current({ intent: 'preview', body }, { method: 'post' })
    }, 400)
    return () => clearTimeout(timer)
  }, [body, initial])

  return { html: fetcher.data?.preview ?? initial ?? '', live }
}
