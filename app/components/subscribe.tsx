/** Visible feed links: the same three formats the page advertises to feed readers in its head. */
export function SubscribeLinks({ feedPath, label }: { feedPath: string; label: string }) {
  return (
    <p className="subscribe">
      <span aria-hidden="true" className="subscribe__icon">
        ◉
      </span>{' '}
      Follow {label}: <a href={`${feedPath}.xml`}>RSS</a> · <a href={`${feedPath}.atom`}>Atom</a> · <a href={`${feedPath}.json`}>JSON Feed</a>
    </p>
  )
}
