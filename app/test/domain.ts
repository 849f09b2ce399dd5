import { expect } from 'vitest'
import { db } from '#app/db.server.ts'
import { articles } from '#db/schema.ts'
import { isDomainError, type DomainError } from '#app/lib/domain-errors.ts'

/** What `promise` was rejected with, or null when it was fulfilled. */
export function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  )
}

/** The DomainError `promise` was rejected with; the test fails when it was fulfilled. */
export function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  return promise.then(
    () => expect.unreachable('expected a DomainError'),
    (error: unknown) => error as DomainError,
  )
}

/** The code of the DomainError `promise` was rejected with (or what it was rejected with, or null). */
export async function codeOf(promise: Promise<unknown>) {
  const error = await failureOf(promise)
  return isDomainError(error) ? error.code : error
}

/** Asserts that `promise` is refused with a DomainError of `code`, and returns the error. */
export async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await failureOf(promise)
  expect(isDomainError(error) ? error.code : error).toBe(code)
  return error as Error
}

/** A story published a minute ago, written straight into the table. */
export async function createPublishedArticle(slug = `story-${Math.random().toString(36).slice(2, 8)}`) {
  const [row] = await db
    .insert(articles)
    .values({
      slug,
      title: `Story ${slug}`,
      standfirst: 'S',
      body: 'B',
      bodyHtml: '<p>B</p>',
      status: 'published',
      publishedAt: new Date(Date.now() - 60_000),
    })
    .returning({ id: articles.id, slug: articles.slug, discussionLocked: articles.discussionLocked })
  return row!
}
