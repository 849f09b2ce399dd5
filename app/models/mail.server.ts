import nodemailer from 'nodemailer'
import { env } from '#app/env.server.ts'

export type Mail = { to: string; subject: string; text: string; link?: string }

let transport: ReturnType<typeof nodemailer.createTransport> | undefined

/**
 * Sends through SMTP when SMTP_URL is set. Without it, the mail is written to the server log as one
 * line with its link, so a local admin can follow it.
 */
export async function sendMail(mail: Mail) {
  if (!env.SMTP_URL) {
    console.log(`threadline: mail to ${mail.to}: "${mail.subject}"${mail.link ? ` ${mail.link}` : ''}`)
    return
  }
  transport ??= nodemailer.createTransport(env.SMTP_URL)
  await transport.sendMail({ from: env.MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text })
}
