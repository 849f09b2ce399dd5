import { createContext, useContext, useState } from 'react'

// Stored HTML (article bodies, comments) reaches the browser once. On a document request the loader
// leaves it out of the route data and puts it in a per-request store that only the server render
// reads; the browser then hydrates by reading back the markup it already has. On data requests
// (client navigation, revalidation) there is no markup, so the HTML comes with the data.

const HtmlStoreContext = createContext<ReadonlyMap<string, string> | null>(null)
export const HtmlStoreProvider = HtmlStoreContext.Provider

const hydratedHtml = new Map<string, string>()

function readRenderedHtml(id: string): string {
  if (typeof document === 'undefined') return ''
  let html = hydratedHtml.get(id)
  if (html === undefined) {
    html = document.getElementById(id)?.innerHTML ?? ''
    hydratedHtml.set(id, html)
  }
  return html
}

export function StoredHtml({ id, html, className }: { id: string; html: string | null | undefined; className?: string }) {
  const store = useContext(HtmlStoreContext)
  const [rendered] = useState(() => (html == null ? (store?.get(id) ?? readRenderedHtml(id)) : null))
  return <div id={id} className={className} dangerouslySetInnerHTML={{ __html: html ?? rendered ?? '' }} />
}
