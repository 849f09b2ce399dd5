import { z } from 'zod'

// One schema per form; the actions parse with them, and their rules are stated on the forms.

export const USERNAME_RULES = '3–30 characters: letters, digits, hyphens and underscores, starting with a letter.'
export const PASSWORD_RULES = 'At least 10 characters.'

const reservedUsernames = new Set([
  'admin',
  'administrator',
  'moderator',
  'mod',
  'staff',
  'threadline',
  'root',
  'system',
  'support',
  'deleted',
  'anonymous',
])

export const EmailSchema = z
  .string({ error: 'Enter your email address.' })
  .trim()
  .toLowerCase()
  .min(1, 'Enter your email address.')
  .max(254, 'That email address is too long.')
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }))

export const UsernameSchema = z
  .string({ error: 'Choose a username.' })
  .trim()
  .min(1, 'Choose a username.')
  .min(3, 'Usernames have at least 3 characters.')
  .max(30, 'Usernames have at most 30 characters.')
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, `Usernames use ${USERNAME_RULES.toLowerCase()}`)
  .refine((name) => !reservedUsernames.has(name.toLowerCase()), 'That username is reserved.')

export const PasswordSchema = z
  .string({ error: 'Enter a password.' })
  .min(1, 'Enter a password.')
  .min(10, 'Passwords have at least 10 characters.')
  // argon2 hashes anything, but a megabyte of password is an attack, not a password.
  .max(256, 'Passwords have at most 256 characters.')
  .refine((p) => p.trim().length > 0, 'A password cannot be only spaces.')

// Stored trimmed. Control characters (U+0000 among them) and the direction overrides and isolates
// that can disguise a name are refused; everything else, markup included, is kept and shown as text.
export const DisplayNameSchema = z
  .string({ error: 'Enter a display name.' })
  .trim()
  .min(1, 'Enter a display name.')
  .max(50, 'Display names have at most 50 characters.')
  .refine((name) => !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name), {
    message: 'Display names cannot contain control or text-direction characters.',
  })

const RedirectToSchema = z.string().max(2000).optional()

/** ?redirectTo= on the log-in and sign-up pages: where to go afterwards. */
export const RedirectToQuerySchema = z.object({ redirectTo: RedirectToSchema })

/** How long the link that finishes a sign-up works. */
export const SIGNUP_LINK_HOURS = 24

export const SignupSchema = z.object({
  email: EmailSchema,
  username: UsernameSchema,
  password: PasswordSchema,
  redirectTo: RedirectToSchema,
})

export const LoginSchema = z.object({
  login: z
    .string({ error: 'Enter your email or username.' })
    .trim()
    .min(1, 'Enter your email or username.')
    .max(254, 'That is too long to be an email or username.'),
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(256, 'Wrong password.'),
  redirectTo: RedirectToSchema,
})

export const ForgotPasswordSchema = z.object({ email: EmailSchema })

/** ?sent=1: the page after a link was asked for. */
export const ForgotPasswordQuerySchema = z.object({ sent: z.literal('1').optional() })

export const ResetPasswordSchema = z
  .object({ password: PasswordSchema, confirm: z.string({ error: 'Repeat the new password.' }) })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' })

export const DisplayNameFormSchema = z.object({ displayName: DisplayNameSchema })

export const ChangePasswordSchema = z
  .object({
    currentPassword: z.string({ error: 'Enter your current password.' }).min(1, 'Enter your current password.'),
    password: PasswordSchema,
    confirm: z.string({ error: 'Repeat the new password.' }),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' })

export const EndSessionSchema = z.object({ sessionId: z.uuid({ error: 'That is not a session of yours.' }) })

export const DeleteAccountSchema = z.object({
  password: z.string({ error: 'Enter your password to confirm.' }).min(1, 'Enter your password to confirm.'),
  confirm: z.literal('delete', { error: 'Type “delete” to confirm.' }),
})
