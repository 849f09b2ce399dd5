import { describe, expect, it } from 'vitest'
import * as htmlparser2 from 'htmlparser2'
import { renderMarkdown, type MarkdownProfile } from './markdown.ts'

// Hostile-input tests for renderMarkdown. Every input runs through both profiles, the output is
// parsed with htmlparser2 (entities decoded, as a browser would) and checked against the allowlist
// in markdown.ts: elements, attributes, link schemes and the rel on reader links.

type Doc = ReturnType<typeof htmlparser2.parseDocument>
type DomNode = Doc['children'][number]

const commentTags = ['p', 'br', 'em', 'strong', 'code', 'pre', 'a', 'blockquote', 'ul', 'ol', 'li']
const articleTags = [...commentTags, 'h2', 'h3', 'h4', 'hr', 'del', 's', 'table', 'thead', 'tbody', 'tr', 'th', 'td']
const allowedTags: Record<MarkdownProfile, ReadonlySet<string>> = {
  comment: new Set(commentTags),
  article: new Set(articleTags),
}
const allowedAttributes: Record<string, readonly string[]> = { a: ['href', 'rel'], ol: ['start'] }
const forbiddenAttributes = new Set(['style', 'src', 'srcset', 'formaction', 'xlink:href'])
const commentRel = 'nofollow ugc noopener noreferrer'
const articleRel = 'noopener noreferrer'

function parse(html: string): Doc {
  return htmlparser2.parseDocument(html, { decodeEntities: true, lowerCaseAttributeNames: true })
}

const { ElementType } = htmlparser2

function walk(nodes: readonly DomNode[], visit: (node: DomNode) => void) {
  for (const node of nodes) {
    visit(node)
    if ('children' in node) walk(node.children, visit)
  }
}

// What a browser's URL parser ignores: ASCII tab and newline anywhere, C0 controls and spaces at
// either end. Stripping them first makes the scheme check stricter, never looser.
function normaliseHref(href: string) {
  return href.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
}

// Where rendered Markdown is shown; scheme-less hrefs resolve against it.
const SITE_PAGE = 'https://threadline.example/articles/some-slug'
const SITE_ORIGIN = new URL(SITE_PAGE).origin
const absoluteAllowed = /^(https?:\/\/|mailto:)/i

/**
 * Every way `html` breaks the allowlist for `profile`; empty when it is clean. With
 * `allowSchemeless`, an href that is not absolute http(s)/mailto is accepted only if a browser
 * would resolve it (WHATWG URL, as Node's URL implements it) to an https page on this same site.
 */
function violations(html: string, profile: MarkdownProfile, { allowSchemeless = false } = {}): string[] {
  const found: string[] = []
  const doc = parse(html)

  walk(doc.children, (node) => {
    if (node.type === ElementType.Comment) found.push('comment node')
    if (node.type === ElementType.CDATA) found.push('CDATA node')
    if (node.type === ElementType.Directive) found.push('directive / processing instruction')
    if (node.type !== ElementType.Tag && node.type !== ElementType.Script && node.type !== ElementType.Style) return

    const tag = node.name.toLowerCase()
    if (!allowedTags[profile].has(tag)) found.push(`element <${tag}> is not allowed`)

    const permitted = allowedAttributes[tag] ?? []
    for (const [rawName, value] of Object.entries(node.attribs)) {
      const name = rawName.toLowerCase()
      if (!permitted.includes(name)) found.push(`attribute ${name}="${value}" on <${tag}>`)
      if (name.startsWith('on')) found.push(`event handler ${name} on <${tag}>`)
      if (forbiddenAttributes.has(name)) found.push(`forbidden attribute ${name} on <${tag}>`)
      if (name === 'href') found.push(...hrefProblems(value, allowSchemeless))
    }

    if (tag === 'a') {
      const expected = profile === 'comment' ? commentRel : articleRel
      if (node.attribs.rel !== expected) found.push(`<a> rel is ${JSON.stringify(node.attribs.rel)}, not "${expected}"`)
    }
  })

  // Belt and braces, independent of htmlparser2: every tag-like run in the raw string must name an
  // allowed element, so a browser's parser cannot find a tag ours did not.
  for (const match of html.matchAll(/<\/?([a-zA-Z][^\s/>]*)/g)) {
    const name = (match[1] ?? '').toLowerCase()
    if (!allowedTags[profile].has(name)) found.push(`raw tag-like text <${name} in output`)
  }

  return found
}

function hrefProblems(value: string, allowSchemeless: boolean): string[] {
  const href = normaliseHref(value)
  let resolved: URL
  try {
    resolved = new URL(href, SITE_PAGE)
  } catch {
    return [`href ${JSON.stringify(value)} does not parse as a URL`]
  }
  if (!['http:', 'https:', 'mailto:'].includes(resolved.protocol)) {
    return [`href ${JSON.stringify(value)} resolves to a ${resolved.protocol} URL`]
  }
  if (absoluteAllowed.test(href)) return []
  if (!allowSchemeless) return [`href ${JSON.stringify(value)} is not http(s):// or mailto:`]
  if (resolved.origin !== SITE_ORIGIN) {
    return [`scheme-less href ${JSON.stringify(value)} leaves the site: ${resolved.href}`]
  }
  return []
}

function textOf(html: string) {
  return htmlparser2.DomUtils.textContent(parse(html).children)
}

function elements(html: string, name: string) {
  return htmlparser2.DomUtils.getElementsByTagName(name, parse(html).children)
}

const TAB = '\t'
const NUL = '\u0000'
const ZWSP = '\u200B'
const ZWJ = '\u200D'
const RLO = '\u202E'
const BOM = '\uFEFF'

const hostileInputs: string[] = [
  // --- raw HTML: scripts and obvious vectors -------------------------------------------------
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<<script>script>alert(1)<</script>/script>',
  `<scr${NUL}ipt>alert(1)</script>`,
  '<script\n>alert(1)</script\n>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="javascript:alert(\'XSS\');">',
  '<img src=x onerror="&#97;lert(1)">',
  '<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>',
  '<img """><script>alert(1)</script>">',
  '<img srcset="x 1x, javascript:alert(1) 2x">',
  '<svg onload=alert(1)>',
  '<svg/onload=alert(1)//',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
  '<embed src="javascript:alert(1)">',
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '<div style="background-image:url(javascript:alert(1))">x</div>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<link rel=stylesheet href=javascript:alert(1)>',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<button formaction="javascript:alert(1)">x</button>',
  '<input onfocus=alert(1) autofocus>',
  '<details open ontoggle=alert(1)>',
  '<body onload=alert(1)>',
  '<video><source onerror=alert(1)></video>',
  '<marquee onstart=alert(1)>x</marquee>',
  '<x onauxclick=alert(1)>click</x>',
  '<a href="javascript:alert(1)">x</a>',
  '<a/href="javascript:alert(1)">x</a>',
  '<a href="https://example.com" onclick="alert(1)">x</a>',
  '<p onclick="alert(1)">para</p>',
  '<!--<script>alert(1)</script>-->',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<?xml-stylesheet href="javascript:alert(1)"?>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<textarea></textarea><script>alert(1)</script>',
  '<template><script>alert(1)</script></template>',
  // --- attribute and context breakouts, polyglots ---------------------------------------------
  '\'"><script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</p><script>alert(1)</script><p>',
  'jaVasCript:/*-/*`/*\\`/*\'/*"/**/(/* */oNcliCk=alert() )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e',
  '"\'--></style></script><svg onload=alert(1)>',
  // --- Markdown links with hostile schemes ---------------------------------------------------
  '[x](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  `[x](java${TAB}script:alert(1))`,
  '[x](&#106;avascript:alert(1))',
  '[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))',
  '[x](javascript&colon;alert(1))',
  '[x](javascript&#58;alert(1))',
  '[x](<javascript:alert(1)>)',
  `[x](${BOM}javascript:alert(1))`,
  '[x](\u0001javascript:alert(1))',
  '[x](javascript://example.com/%0Aalert(1))',
  '[x](javascript:alert(1)#https://example.com)',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](DATA:text/html,<script>alert(1)</script>)',
  '[x](data:image/svg+xml,<svg onload=alert(1)>)',
  '[x](vbscript:msgbox(1))',
  '[x](file:///etc/passwd)',
  '[x](//evil.example/)',
  '[x](\\/\\/evil.example/)',
  '[x](/\\/evil.example/)',
  '[x](mailto:a@b.example"onmouseover="alert(1))',
  // --- link titles and attribute breakouts ---------------------------------------------------
  '[x](https://example.com "\\"><script>alert(1)</script>")',
  "[x](https://example.com '\"><img src=x onerror=alert(1)>')",
  '[x](https://example.com (" onmouseover="alert(1)))',
  '[x](https://example.com"onmouseover="alert(1))',
  '[x](https://example.com/" onmouseover="alert(1))',
  '[x](https://example.com) onmouseover="alert(1)"',
  '[x](http://example.com/<script>alert(1)</script>)',
  // --- images ----------------------------------------------------------------------------------
  '![x](javascript:alert(1))',
  '![x](https://evil.example/pixel.png)',
  '![x" onerror="alert(1)](https://evil.example/x.png)',
  '![x](https://evil.example/x.png "\\" onerror=\\"alert(1)")',
  '[![img](https://evil.example/x.png)](javascript:alert(1))',
  // --- autolinks and linkify -----------------------------------------------------------------
  '<javascript:alert(1)>',
  '<JAVASCRIPT:alert(1)>',
  '<data:text/html,<script>alert(1)</script>>',
  '<vbscript:msgbox(1)>',
  '<mailto:a@b.example?body=<script>alert(1)</script>>',
  '<https://example.com/"onmouseover="alert(1)>',
  'javascript:alert(1)',
  'www.example.com/"><script>alert(1)</script>',
  'https://example.com/<script>alert(1)</script>',
  'http://a.example/?"onmouseover=alert(1)',
  // --- reference-style links -----------------------------------------------------------------
  '[x][r]\n\n[r]: javascript:alert(1)',
  '[x]\n\n[x]: JaVaScRiPt:alert(1) "title"',
  '[x][r]\n\n[r]: <javascript:alert(1)>',
  '[x][r]\n\n[r]: &#106;avascript:alert(1)',
  '[x][r]\n\n[r]: https://example.com "\\"><script>alert(1)</script>"',
  '![x][r]\n\n[r]: javascript:alert(1)',
  // --- nested brackets -----------------------------------------------------------------------
  '[[x](javascript:alert(1))](https://example.com)',
  '[a [b](javascript:alert(1)) c](https://example.com)',
  '[x](https://example.com)[y](javascript:alert(1))',
  // --- entities and escapes ------------------------------------------------------------------
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;script&#62;alert(1)&#60;/script&#62;',
  '&#x3C;img src=x onerror=alert(1)&#x3E;',
  '\\<script>alert(1)\\</script>',
  '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;',
  // --- unicode tricks --------------------------------------------------------------------------
  `[${RLO}gnp.exe](https://example.com)`,
  `${RLO}<script>alert(1)</script>`,
  `<scr${ZWJ}ipt>alert(1)</script>`,
  `${NUL}<img src=x onerror=alert(1)>${NUL}`,
  // --- code spans, fences and breakouts ------------------------------------------------------
  '```\n</code></pre><script>alert(1)</script>\n```',
  '```html" onmouseover="alert(1)\n<x>\n```',
  '```javascript:alert(1)\nx\n```',
  '`</code><script>alert(1)</script>`',
  '``<img src=x onerror=alert(1)>``',
  '    <script>alert(1)</script>',
  '~~~\n<svg onload=alert(1)>\n~~~',
  // --- block structures carrying payloads ----------------------------------------------------
  '> <script>alert(1)</script>\n> [x](javascript:alert(1))',
  '- [x](javascript:alert(1))\n- <img src=x onerror=alert(1)>',
  '999999999. <svg onload=alert(1)>',
  '# <script>alert(1)</script>',
  'Title <img src=x onerror=alert(1)>\n===',
  '| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |',
  '| a | b |\n|:-:|--:|\n| x | y |',
  '~~<img src=x onerror=alert(1)>~~',
  '***\n<iframe src=javascript:alert(1)>',
  // --- size --------------------------------------------------------------------------------------
  'A'.repeat(20_000),
  '<'.repeat(5_000) + 'script>alert(1)',
  '['.repeat(2_000) + '](javascript:alert(1))',
  '*'.repeat(3_000) + 'x' + '*'.repeat(3_000),
  '> '.repeat(500) + '<script>alert(1)</script>',
]

// Relative URLs that hide a scheme behind escapes ("java%09script:alert(1)", "&#0;javascript:…",
// "https:javascript:…"). sanitize-html alone would keep them as harmless same-site links; markdown.ts
// goes further and drops every href that is not absolute http(s) or mailto (articles may also link
// "/path" and "#fragment": see the test below).
const schemelessHrefInputs: string[] = [
  '[x](java%09script:alert(1))',
  '[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))',
  '[x](jav&#x09;ascript:alert(1))',
  '[x](jav&#x0A;ascript:alert(1))',
  '[x](&#0;javascript:alert(1))',
  '[x](<java script:alert(1)>)',
  `[x](${NUL}javascript:alert(1))`,
  `[x](java${NUL}script:alert(1))`,
  `[x](${ZWSP}javascript:alert(1))`,
  `[x](java${ZWSP}script:alert(1))`,
  '[x](https:javascript:alert(1))',
  '[x]([y](javascript:alert(1)))',
  '[x](/\\evil.example/)',
  '[x](\\\\evil.example)',
]

const profiles: MarkdownProfile[] = ['comment', 'article']

function preview(input: string) {
  const json = JSON.stringify(input)
  return json.length > 70 ? `${json.slice(0, 67)}...` : json
}

describe('renderMarkdown against hostile input', () => {
  it('has a long enough list', () => {
    expect(hostileInputs.length).toBeGreaterThanOrEqual(80)
    expect(new Set(hostileInputs).size).toBe(hostileInputs.length)
  })

  for (const profile of profiles) {
    describe(`${profile} profile`, () => {
      hostileInputs.forEach((input, index) => {
        it(`#${index} ${preview(input)}`, () => {
          const html = renderMarkdown(input, profile)
          expect(
            violations(html, profile),
            `profile: ${profile}\ninput:  ${JSON.stringify(input).slice(0, 500)}\noutput: ${html.slice(0, 1_000)}`,
          ).toEqual([])
        })
      })
    })
  }
})

describe('renderMarkdown with scheme-less hrefs (dropped; their text stays)', () => {
  for (const profile of profiles) {
    describe(`${profile} profile`, () => {
      schemelessHrefInputs.forEach((input, index) => {
        const message = (html: string) => `profile: ${profile}\ninput:  ${JSON.stringify(input)}\noutput: ${html.slice(0, 1_000)}`

        it(`#${index} ${preview(input)} is inert: allowlisted, and any href stays on this site`, () => {
          const html = renderMarkdown(input, profile)
          expect(violations(html, profile, { allowSchemeless: true }), message(html)).toEqual([])
        })

        it(`#${index} ${preview(input)} loses its link under the strict http(s)/mailto-only check`, () => {
          const html = renderMarkdown(input, profile)
          expect(violations(html, profile), message(html)).toEqual([])
        })
      })
    })
  }
})

describe('site links', () => {
  it('are kept in articles and dropped in comments', () => {
    expect(renderMarkdown('[chip](/chips/h200) and [top](#top)', 'article')).toBe(
      '<p><a href="/chips/h200" rel="noopener noreferrer">chip</a> and <a href="#top" rel="noopener noreferrer">top</a></p>',
    )
    expect(renderMarkdown('[chip](/chips/h200)', 'comment')).toBe('<p>chip</p>')
  })
})

describe('the XSS checker itself', () => {
  // If these did not fail, the tests above could pass without checking anything.
  it('flags elements, attributes and schemes that are not allowed', () => {
    expect(violations('<p><script>alert(1)</script></p>', 'comment')).not.toEqual([])
    expect(violations('<img src="x" onerror="alert(1)">', 'article')).not.toEqual([])
    expect(violations('<p onclick="x">a</p>', 'comment')).not.toEqual([])
    expect(violations('<h2>x</h2>', 'comment')).not.toEqual([])
    expect(violations(`<a href="java\tscript:alert(1)" rel="${commentRel}">x</a>`, 'comment')).not.toEqual([])
    expect(violations(`<a href="&#106;avascript:alert(1)" rel="${commentRel}">x</a>`, 'comment')).not.toEqual([])
    expect(violations(`<a href="//evil.example" rel="${commentRel}">x</a>`, 'comment')).not.toEqual([])
    expect(violations('<a href="https://example.com" rel="noopener">x</a>', 'comment')).not.toEqual([])
    expect(violations('<!-- x -->', 'comment')).not.toEqual([])
    expect(violations(`<a href="/path" rel="${commentRel}">x</a>`, 'comment')).not.toEqual([])
    expect(violations(`<a href="javascript:alert(1)" rel="${commentRel}">x</a>`, 'comment', { allowSchemeless: true })).not.toEqual([])
    expect(violations(`<a href="\\\\evil.example/" rel="${commentRel}">x</a>`, 'comment', { allowSchemeless: true })).not.toEqual([])
  })

  it('accepts clean output', () => {
    expect(violations(`<p><a href="https://example.com" rel="${commentRel}">x</a></p>`, 'comment')).toEqual([])
    expect(violations('<ol start="3"><li>x</li></ol>', 'comment')).toEqual([])
    expect(violations('<h2>x</h2><table><tr><td>y</td></tr></table>', 'article')).toEqual([])
    expect(violations(`<a href="/path#top" rel="${commentRel}">x</a>`, 'comment', { allowSchemeless: true })).toEqual([])
  })
})

describe('renderMarkdown still renders what it should', () => {
  it('keeps an https link, with the reader rel on comments', () => {
    const links = elements(renderMarkdown('[ok](https://example.com)', 'comment'), 'a')
    expect(links).toHaveLength(1)
    expect(links[0]?.attribs.href).toBe('https://example.com')
    expect(links[0]?.attribs.rel).toBe(commentRel)
    expect(htmlparser2.DomUtils.textContent(links[0] ?? [])).toBe('ok')
  })

  it('keeps an https link, with the article rel on articles', () => {
    const links = elements(renderMarkdown('[ok](https://example.com)', 'article'), 'a')
    expect(links).toHaveLength(1)
    expect(links[0]?.attribs.href).toBe('https://example.com')
    expect(links[0]?.attribs.rel).toBe(articleRel)
  })

  it('keeps mailto links', () => {
    const links = elements(renderMarkdown('[me](mailto:me@example.com)', 'comment'), 'a')
    expect(links[0]?.attribs.href).toBe('mailto:me@example.com')
  })

  it.each(profiles)('keeps emphasis, code and lists (%s)', (profile) => {
    const html = renderMarkdown('**bold** *it* `code`\n\n3. three\n4. four', profile)
    expect(elements(html, 'strong')).toHaveLength(1)
    expect(elements(html, 'em')).toHaveLength(1)
    expect(elements(html, 'code')).toHaveLength(1)
    expect(elements(html, 'ol')[0]?.attribs.start).toBe('3')
  })

  it.each(profiles)('shows raw HTML as visible text (%s)', (profile) => {
    const html = renderMarkdown('<b>x</b> <script>alert(1)</script>', profile)
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;')
    expect(elements(html, 'b')).toHaveLength(0)
    expect(textOf(html)).toContain('<b>x</b>')
    expect(textOf(html)).toContain('<script>alert(1)</script>')
  })

  it.each(profiles)('drops a javascript: link but keeps its text (%s)', (profile) => {
    const html = renderMarkdown('[click me](javascript:alert(1))', profile)
    expect(elements(html, 'a').every((a) => a.attribs.href === undefined)).toBe(true)
    expect(textOf(html)).toContain('click me')
  })

  it('renders article structure: headings, tables, rules', () => {
    const html = renderMarkdown('# Title\n\n## Sub\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n~~gone~~', 'article')
    expect(elements(html, 'h2').length).toBeGreaterThanOrEqual(2)
    expect(elements(html, 'table')).toHaveLength(1)
    expect(elements(html, 'td')).toHaveLength(2)
    expect(elements(html, 'hr')).toHaveLength(1)
    expect(elements(html, 's').length + elements(html, 'del').length).toBe(1)
  })

  it('does not render article-only structure in comments', () => {
    const html = renderMarkdown('# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---', 'comment')
    expect(elements(html, 'h2')).toHaveLength(0)
    expect(elements(html, 'table')).toHaveLength(0)
    expect(elements(html, 'hr')).toHaveLength(0)
  })
})
