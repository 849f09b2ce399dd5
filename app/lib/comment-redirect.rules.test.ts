import { describe, expect, test } from 'vitest'
import { commentRedirect } from './comment-redirect.ts'

const reply = (shownOnStoryPage: boolean) => ({ id: 42, depth: 2, parentId: 7, shownOnStoryPage })

describe('where a comment posted without JavaScript lands', () => {
  test('a new top-level comment: the story, newest first, at the comment', () => {
    expect(commentRedirect({ slug: 'a-story', created: { id: 5, depth: 0, parentId: null, shownOnStoryPage: true }, returnTo: '/elsewhere' })).toBe(
      '/articles/a-story?sort=new#c5',
    )
  })

  test('a reply the story page shows: back to the page it came from, at the reply', () => {
    expect(commentRedirect({ slug: 'a-story', created: reply(true), returnTo: '/articles/a-story?sort=top&page=2' })).toBe(
      '/articles/a-story?sort=top&page=2#c42',
    )
    expect(commentRedirect({ slug: 'a-story', created: reply(true), returnTo: '/articles/a-story' })).toBe('/articles/a-story#c42')
    expect(commentRedirect({ slug: 'a-story', created: reply(true), returnTo: undefined })).toBe('/articles/a-story#c42')
  })

  test('a reply the story page does not show, or sent from another page: the parent’s own page, newest first', () => {
    const parentPage = '/articles/a-story/comments/7?sort=new#c42'
    expect(commentRedirect({ slug: 'a-story', created: reply(false), returnTo: '/articles/a-story' })).toBe(parentPage)
    expect(commentRedirect({ slug: 'a-story', created: reply(true), returnTo: '/articles/a-story/comments/7' })).toBe(parentPage)
    // A story whose slug begins with this one's is another story.
    expect(commentRedirect({ slug: 'a-story', created: reply(true), returnTo: '/articles/a-story-two' })).toBe(parentPage)
  })

  test('never leaves the site, whatever it is asked to return to', () => {
    for (const returnTo of ['https://evil.example/articles/a-story', '//evil.example', '/\\evil.example']) {
      expect(commentRedirect({ slug: 'a-story', created: reply(true), returnTo })).toBe('/articles/a-story#c42')
    }
  })
})
