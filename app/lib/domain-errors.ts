// Every failure a user can cause, as one closed list. The models throw them; routes turn one into a
// status and a message with `domainFailure` (forms.server.ts) or `domainErrorStatus`; anything else
// thrown is a bug and becomes a 500.

export const domainErrorCodes = {
  'not-found': 404,
  forbidden: 403,
  unauthenticated: 401,
  'rate-limited': 429,
  'invalid-credentials': 400,
  'invalid-token': 400,
  'email-taken': 409,
  'username-taken': 409,
  'wrong-password': 400,
  'account-unavailable': 403,
  'discussion-locked': 409,
  'edit-window-closed': 409,
  'comment-unavailable': 409,
  'wrong-article': 400,
  'self-vote': 403,
  'invalid-input': 400,
} as const

export type DomainErrorCode = keyof typeof domainErrorCodes

export class DomainError extends Error {
  override name = 'DomainError'
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: { retryAfterSeconds?: number; field?: string } = {},
  ) {
    super(message)
  }
}

export function isDomainError(error: unknown, code?: DomainErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code)
}

export function domainErrorStatus(error: DomainError): number {
  return domainErrorCodes[error.code]
}

/** "in 3 minutes", "in 1 hour": how long until a throttled person may try again. */
export function retryAfterText(seconds: number): string {
  if (seconds < 60) return `in ${Math.max(1, Math.ceil(seconds))} seconds`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 90) return `in ${minutes} minute${minutes === 1 ? '' : 's'}`
  const hours = Math.ceil(minutes / 60)
  return `in ${hours} hours`
}
